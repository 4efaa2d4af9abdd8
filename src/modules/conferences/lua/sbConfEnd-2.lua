-- sbConfEnd
-- Ends the conference: everyone in is out (state 2), ringing legs end; returns the legs to hang
-- up and the app participants to take out of the room. With ARGV[3] (the empty-timeout job's
-- time) it ends only a live conference still empty since then.
-- KEYS: conf, parts. ARGV: now, reason, since or '', ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[1]), tonumber(ARGV[4])
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return cjson.encode({code = -1}) end
if st == 'ended' then return cjson.encode({code = 0, prev = 'ended'}) end
if ARGV[3] ~= '' and (st ~= 'live' or redis.call('HGET', KEYS[1], 'emptySince') ~= ARGV[3]) then return cjson.encode({code = 0}) end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[1], 'reason', ARGV[2])
redis.call('HDEL', KEYS[1], 'emptySince')
local changed, hangups, apps = {}, {}, {}
for _, j in ipairs(redis.call('HVALS', KEYS[2])) do
  local p = cjson.decode(j)
  local touched = false
  if leg(p) then
    if p.state == 1 then p.state = 2 end
    p.call = 'ended'
    if p.via == 'phone' then hangups[#hangups + 1] = p.callid else apps[#apps + 1] = p.key end
    changed[#changed + 1] = {action = 'ended', p = p}
    touched = true
  end
  if p.dialOnStart then p.dialOnStart = nil; touched = true end
  if touched then putp(KEYS[2], p) end
end
return cjson.encode({code = 1, prev = st, changed = changed, hangups = hangups, apps = apps})
