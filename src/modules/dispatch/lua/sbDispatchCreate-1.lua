-- sbDispatchCreate
-- A new waiting request. KEYS: seq. ARGV: D, caller, skill, now, expiresAt, data JSON ('' none), offer to all ('1'|'0'),
-- round ms → {id, 1 when the app's timer set was empty (its sweep index may not list the app)}
-- Its timer (D..'due', read by the dispatch sweep) is a backstop: round 1's job, added at
-- once, sets the real one; if that job is lost, the sweep adds it again after a round.
local D = ARGV[1]
local id = redis.call('INCR', KEYS[1])
local f = {'caller', ARGV[2], 'skill', ARGV[3], 'state', 'waiting', 'round', '0', 'createdAt', ARGV[4], 'expiresAt', ARGV[5]}
if ARGV[6] ~= '' then f[#f + 1] = 'data'; f[#f + 1] = ARGV[6] end
if ARGV[7] == '1' then f[#f + 1] = 'all'; f[#f + 1] = '1' end
redis.call('HSET', D .. 'r:' .. id, unpack(f))
redis.call('ZADD', D .. 'w:' .. ARGV[3], ARGV[4], id)
redis.call('SADD', D .. 'skills', ARGV[3])
redis.call('SADD', D .. 'u:' .. ARGV[2], id)
local wasEmpty = redis.call('EXISTS', D .. 'due') == 0 and 1 or 0
redis.call('ZADD', D .. 'due', tonumber(ARGV[4]) + tonumber(ARGV[8]), id)
return {id, wasEmpty}
