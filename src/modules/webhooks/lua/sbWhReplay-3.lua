-- sbWhReplay
-- A dead letter goes back to the tail of its lane under a new run (gen), same event id.
-- KEYS: delivery, dead, inflight. ARGV: deliveryId, now
-- → {-1} unknown | {0, state} not dead | {2, gen} head: enqueue it | {1, gen} behind earlier deliveries
local st = redis.call('HMGET', KEYS[1], 'state', 'lane')
if not st[1] then return {-1} end
if st[1] ~= 'dead' then return {0, st[1]} end
redis.call('ZREM', KEYS[2], ARGV[1])
local gen = redis.call('HINCRBY', KEYS[1], 'gen', 1)
redis.call('HINCRBY', KEYS[1], 'replays', 1)
redis.call('HSET', KEYS[1], 'state', 'pending', 'attempts', 0, 'windowFrom', ARGV[2])
redis.call('HDEL', KEYS[1], 'deadAt')
if redis.call('RPUSH', st[2], ARGV[1]) == 1 then
  redis.call('HSET', KEYS[1], 'startedAt', ARGV[2], 'due', ARGV[2])
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[1])
  return {2, gen}
end
return {1, gen}
