-- sbBillAbort
-- Undoes a begin whose first unit could not be paid (nothing was charged).
-- KEYS: call, due, ucPayer, ucPayee. ARGV: callId → 1 removed | 0 charged or gone meanwhile
local c = redis.call('HMGET', KEYS[1], 'state', 'units')
if c[1] ~= 'active' or c[2] ~= '0' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SREM', KEYS[4], ARGV[1])
return 1
