-- sbBillReport
-- Records the agent app's measure and compares it with the server's (end − start, or
-- now − start while active), in whole seconds. A difference beyond the tolerance is kept
-- in the review zset. phase 'update' needs an active call; 'end' is recorded once.
-- KEYS: call, rec. ARGV: callId, phase, reportedSeconds, now, toleranceSeconds
-- → {1, serverSeconds, diff or ''} | {-1} no call | {-2} not active (update) | {-3} end already reported
local c = redis.call('HMGET', KEYS[1], 'state', 'startedAt', 'endedAt', 'endReported')
if not c[1] then return {-1} end
if ARGV[2] == 'update' and c[1] ~= 'active' then return {-2} end
if ARGV[2] == 'end' and c[4] == '1' then return {-3} end
local stop = tonumber(c[3] or ARGV[4])
local server = math.floor((stop - tonumber(c[2])) / 1000 + 0.5)
local reported = tonumber(ARGV[3])
local diff = reported - server
redis.call('HSET', KEYS[1], 'reportedSeconds', ARGV[3])
if ARGV[2] == 'end' then redis.call('HSET', KEYS[1], 'endReported', '1') end
if math.abs(diff) > tonumber(ARGV[5]) then
  redis.call('HSET', KEYS[1], 'diffSeconds', diff)
  redis.call('ZADD', KEYS[2], ARGV[4], cjson.encode({callId = ARGV[1], phase = ARGV[2], reportedSeconds = reported, serverSeconds = server, diffSeconds = diff, at = tonumber(ARGV[4])}))
  return {1, server, diff}
end
return {1, server, ''}
