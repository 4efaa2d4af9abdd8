-- sbBillAdvance
-- Records charged units on the call and, for a tick (ARGV[2] = the claimed due time),
-- schedules the next one — only while the call is active and nobody advanced it since
-- the claim (a worker whose lease ran out must not tick twice).
-- KEYS: call, due. ARGV: callId, claimedDue or '', units, amount, nextDue, low (0/1)
-- → {1, units, seq, lowStarted} ticked | {0, units} units recorded only | {-1} no call
local c = redis.call('HMGET', KEYS[1], 'state', 'nextDue', 'units', 'low')
if not c[1] then return {-1} end
local units = tonumber(c[3])
if tonumber(ARGV[3]) > units then
  units = tonumber(ARGV[3])
  redis.call('HSET', KEYS[1], 'units', ARGV[3], 'amount', ARGV[4])
end
if ARGV[2] == '' or c[1] ~= 'active' or c[2] ~= ARGV[2] then return {0, units} end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
redis.call('HSET', KEYS[1], 'nextDue', ARGV[5])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[1])
local lowStarted = 0
if ARGV[6] == '1' and c[4] ~= '1' then
  lowStarted = 1
  redis.call('HSET', KEYS[1], 'low', '1')
elseif ARGV[6] == '0' and c[4] == '1' then
  redis.call('HSET', KEYS[1], 'low', '0')
end
return {1, units, seq, lowStarted}
