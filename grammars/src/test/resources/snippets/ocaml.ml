module StringMap = Map.Make (String)

type shape =
  | Circle of float
  | Rect of float * float

let area = function
  | Circle r -> Float.pi *. r *. r
  | Rect (w, h) -> w *. h

let count_words text =
  String.split_on_char ' ' text
  |> List.filter (fun w -> w <> "")
  |> List.fold_left
       (fun acc w ->
         let n = Option.value ~default:0 (StringMap.find_opt w acc) in
         StringMap.add w (n + 1) acc)
       StringMap.empty

let () =
  let shapes = [ Circle 1.0; Rect (2.0, 3.0) ] in
  List.iter (fun s -> Printf.printf "%.2f\n" (area s)) shapes;
  StringMap.iter (Printf.printf "%s=%d\n") (count_words "a b a")
