-- sbBillClaimEnded
-- Claims ended calls whose hooks were not acknowledged by `before`: pushes their score to
-- `until` in the same script, so two overlapping sweeps never re-run the same hooks.
-- KEYS: endq. ARGV: before, until, limit → callIds
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, id in ipairs(ids) do redis.call('ZADD', KEYS[1], 'XX', ARGV[2], id) end
return ids
