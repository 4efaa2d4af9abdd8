-- sbBillEnd
-- Ends an active call. KEYS: call, due, ucPayer, ucPayee, endq. ARGV: callId, now, reason
-- → {1, field, value, …} ended now | {0, field, value, …} was not active | {-1} no call
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return {-1} end
if st == 'active' then
  redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[2], 'reason', ARGV[3])
  redis.call('ZREM', KEYS[2], ARGV[1])
  redis.call('SREM', KEYS[3], ARGV[1])
  redis.call('SREM', KEYS[4], ARGV[1])
  redis.call('ZADD', KEYS[5], ARGV[2], ARGV[1])
end
local h = redis.call('HGETALL', KEYS[1])
table.insert(h, 1, st == 'active' and 1 or 0)
return h
