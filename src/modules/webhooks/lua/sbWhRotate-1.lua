-- sbWhRotate
-- New secret; the old one keeps signing until prevUntil (0: not at all).
-- KEYS: ep. ARGV: secret, prevUntil, now → 1 | 0 no such endpoint
local old = redis.call('HGET', KEYS[1], 'secret')
if not old then return 0 end
if tonumber(ARGV[2]) > 0 then
  redis.call('HSET', KEYS[1], 'prevSecret', old, 'prevUntil', ARGV[2])
else
  redis.call('HDEL', KEYS[1], 'prevSecret', 'prevUntil')
end
redis.call('HSET', KEYS[1], 'secret', ARGV[1], 'updatedAt', ARGV[3])
return 1
