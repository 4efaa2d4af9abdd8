-- liveStop
-- Stops a live video once. KEYS: video, now, hist, listed. ARGV: videoID, endedAt
-- → 1 stopped now | 0 already stopped | -1 no video
local v = redis.call('HMGET', KEYS[1], 'liveFlag', 'save', 'startedAt')
if not v[1] then return -1 end
if v[1] ~= '1' then return 0 end
redis.call('HSET', KEYS[1], 'liveFlag', '0', 'endedAt', ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[1])
if v[2] == '1' then
  redis.call('ZADD', KEYS[3], v[3], ARGV[1])
else
  redis.call('ZREM', KEYS[4], ARGV[1])
end
return 1
