module Main (main) where

import qualified Data.Map.Strict as Map
import Data.List (sortBy)
import Data.Ord (Down (..), comparing)

data Shape
  = Circle Double
  | Rect Double Double
  deriving (Show, Eq)

area :: Shape -> Double
area (Circle r) = pi * r * r
area (Rect w h) = w * h

wordFreq :: String -> Map.Map String Int
wordFreq = Map.fromListWith (+) . map (\w -> (w, 1)) . words

main :: IO ()
main = do
  let shapes = [Circle 1, Rect 2 3]
  mapM_ (print . area) shapes
  let top = take 3 . sortBy (comparing (Down . snd)) . Map.toList $ wordFreq "a b a c a b"
  print top
