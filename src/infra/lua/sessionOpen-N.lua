-- sessionOpen (variable keys: 3 + one per probe)
-- KEYS: sockets set, online hash, user hash, probe keys… ARGV: socketId, uid, ttl, then one
-- probe kind per probe key: 'k' (key exists), 'h<field>' (hash field), 'z<member>' (zset member)
-- → {user hash as a flat list, then 1/0 per probe}
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('HSET', KEYS[2], ARGV[2], '1')
local out = {redis.call('HGETALL', KEYS[3])}
for i = 4, #KEYS do
  local kind = string.sub(ARGV[i], 1, 1)
  local arg = string.sub(ARGV[i], 2)
  local hit = 0
  if kind == 'k' then hit = redis.call('EXISTS', KEYS[i])
  elseif kind == 'h' then hit = redis.call('HEXISTS', KEYS[i], arg)
  elseif redis.call('ZSCORE', KEYS[i], arg) then hit = 1 end
  out[#out + 1] = hit
end
return out
