-- sbMediaPutRecording
-- KEYS: recording hash, room zset. ARGV: member, score, data JSON.
-- Returns {state, data}: state 1 new, 0 stored earlier and not linked yet, 2 already linked;
-- data is the stored JSON (the first one wins, so a replay cannot rewrite it).
local data = redis.call('HGET', KEYS[1], 'data')
if data then
  if redis.call('HGET', KEYS[1], 'linked') == '1' then return {2, data} end
  return {0, data}
end
redis.call('HSET', KEYS[1], 'data', ARGV[3], 'linked', '0')
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
return {1, ARGV[3]}
