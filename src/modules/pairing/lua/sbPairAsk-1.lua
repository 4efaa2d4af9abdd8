-- sbPairAsk
-- A new ask. KEYS: seq. ARGV: P, uid, scene, peer, now, fl, fg, ft, filters JSON
-- → {1, askNo} | {-1, askNo of the open ask or call of this user}
local P, uid = ARGV[1], ARGV[2]
local open = redis.call('HGET', P .. 'busy', uid)
if open then return {-1, open} end
local id = tostring(redis.call('INCR', KEYS[1]))
redis.call('HSET', P .. 'a:' .. id, 'askUid', uid, 'scene', ARGV[3], 'peer', ARGV[4], 'state', 'matching', 'round', '0',
  'startAt', ARGV[5], 'fl', ARGV[6], 'fg', ARGV[7], 'ft', ARGV[8], 'filters', ARGV[9])
redis.call('HSET', P .. 'busy', uid, id)
redis.call('ZADD', P .. 'h:' .. uid, ARGV[5], id)
return {1, id}
