-- sbConfControl
-- kick / mute / unmute a batch of legs. Every callid must be a leg of this conference, else
-- nothing changes (code -6 with the unknown ones). Only a participant's current leg acts.
-- KEYS: conf, parts, calls. ARGV: confId, op, now, callids JSON, ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[3]), tonumber(ARGV[5])
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return cjson.encode({code = -1}) end
if st == 'ended' then return cjson.encode({code = -2}) end
local cids = cjson.decode(ARGV[4])
local unknown = {}
for _, cid in ipairs(cids) do if redis.call('HEXISTS', KEYS[3], cid) == 0 then unknown[#unknown + 1] = cid end end
if #unknown > 0 then return cjson.encode({code = -6, unknown = unknown}) end
local op = ARGV[2]
local changed, hangups, apps, mutes = {}, {}, {}, {}
for _, cid in ipairs(cids) do
  local p = getp(KEYS[2], redis.call('HGET', KEYS[3], cid))
  if p and p.callid == cid then
    if op == 'kick' then
      if leg(p) then
        p.state = 2
        p.call = 'ended'
        if p.via == 'phone' then hangups[#hangups + 1] = cid else apps[#apps + 1] = p.key end
        putp(KEYS[2], p)
        changed[#changed + 1] = {action = 'kicked', p = p}
      end
    else
      local m = op == 'mute'
      if p.muted ~= m then
        p.muted = m
        putp(KEYS[2], p)
        changed[#changed + 1] = {action = op .. 'd', p = p}
        if p.via == 'phone' and p.call == 'connected' then mutes[#mutes + 1] = cid end
      end
    end
  end
end
local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[3])
return cjson.encode({code = 1, changed = changed, hangups = hangups, apps = apps, mutes = mutes, armed = armed, inCount = inCount})
