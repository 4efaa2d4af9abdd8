-- sbConfAppJoin
-- A user enters from the app: the password unless they created it; a new app leg (callid);
-- a phone leg of the same participant still up is superseded (returned to hang up).
-- KEYS: conf, parts, calls. ARGV: confId, uid, pwd, now, max participants, name, ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[4]), tonumber(ARGV[7])
local c = redis.call('HMGET', KEYS[1], 'state', 'uid', 'pwd')
if not c[1] then return cjson.encode({code = -1}) end
if c[1] == 'ended' then return cjson.encode({code = -2}) end
if c[1] ~= 'live' then return cjson.encode({code = -4}) end
if ARGV[2] ~= c[2] and (c[3] or '') ~= '' and ARGV[3] ~= c[3] then return cjson.encode({code = -5}) end
local p = getp(KEYS[2], ARGV[2])
if p and p.state == 1 and p.via == 'app' then return cjson.encode({code = 0, p = p, inCount = incount(KEYS[2])}) end
if not p then
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[5]) then return cjson.encode({code = -3}) end
  p = newp(KEYS[1], ARGV[2])
  p.id = ARGV[2]
end
local old = ''
if p.via == 'phone' and (leg(p) or p.call == 'connected') then old = p.callid end
local n = redis.call('HINCRBY', KEYS[1], 'callseq', 1)
p.callid = ARGV[1] .. '-' .. n
p.call = 'connected'
p.state = 1
p.via = 'app'
p.dialOnStart = nil
if not p.name and ARGV[6] ~= '' then p.name = ARGV[6] end
redis.call('HSET', KEYS[3], p.callid, p.key)
putp(KEYS[2], p)
local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[4])
return cjson.encode({code = 1, p = p, hangup = old, armed = armed, inCount = inCount})
