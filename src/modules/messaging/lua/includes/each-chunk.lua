local function each(key, cmd, from)
  local n = 0
  for i = from, #ARGV, 500 do n = n + redis.call(cmd, key, unpack(ARGV, i, math.min(i + 499, #ARGV))) end
  return n
end
