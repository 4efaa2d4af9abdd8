-- sbDispatchCreate
-- A new waiting request. KEYS: seq. ARGV: D, caller, skill, now, expiresAt, data JSON ('' none), offer to all ('1'|'0') → id
local D = ARGV[1]
local id = redis.call('INCR', KEYS[1])
local f = {'caller', ARGV[2], 'skill', ARGV[3], 'state', 'waiting', 'round', '0', 'createdAt', ARGV[4], 'expiresAt', ARGV[5]}
if ARGV[6] ~= '' then f[#f + 1] = 'data'; f[#f + 1] = ARGV[6] end
if ARGV[7] == '1' then f[#f + 1] = 'all'; f[#f + 1] = '1' end
redis.call('HSET', D .. 'r:' .. id, unpack(f))
redis.call('ZADD', D .. 'w:' .. ARGV[3], ARGV[4], id)
redis.call('SADD', D .. 'skills', ARGV[3])
redis.call('SADD', D .. 'u:' .. ARGV[2], id)
return id
