local M = {}

local function split(s, sep)
  local out = {}
  for piece in string.gmatch(s, "([^" .. sep .. "]+)") do
    out[#out + 1] = piece
  end
  return out
end

function M.count(text)
  local counts = {}
  for _, w in ipairs(split(text, " ")) do
    counts[w] = (counts[w] or 0) + 1
  end
  return counts
end

local Counter = setmetatable({}, { __index = M })

if ... == nil then
  for k, v in pairs(M.count("a b a")) do
    print(k, v)
  end
end

return Counter
