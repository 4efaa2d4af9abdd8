-- sbConfAdd
-- Adds participants (or updates their id/number/name); with dial=1 dials those with a number
-- who are not in and not ringing — at once when live, at the start when scheduled.
-- KEYS: conf, parts, calls. ARGV: confId, now, max participants, dial 0|1, entries JSON [{key,id?,number?,name?}], ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[2]), tonumber(ARGV[6])
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return cjson.encode({code = -1}) end
if st == 'ended' then return cjson.encode({code = -2}) end
local entries = cjson.decode(ARGV[5])
local fresh = 0
for _, e in ipairs(entries) do if redis.call('HEXISTS', KEYS[2], e.key) == 0 then fresh = fresh + 1 end end
if redis.call('HLEN', KEYS[2]) + fresh > tonumber(ARGV[3]) then return cjson.encode({code = -3}) end
local changed, dials = {}, {}
for _, e in ipairs(entries) do
  local p = getp(KEYS[2], e.key) or newp(KEYS[1], e.key)
  if e.id then p.id = e.id end
  if e.number then p.number = e.number end
  if e.name then p.name = e.name end
  local action = 'added'
  if ARGV[4] == '1' and p.number and not active(p) then
    if st == 'live' then
      dials[#dials + 1] = dial(KEYS[1], KEYS[3], ARGV[1], p)
      action = 'dialling'
    else
      p.dialOnStart = true
    end
  end
  putp(KEYS[2], p)
  changed[#changed + 1] = {action = action, p = p}
end
local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[2])
return cjson.encode({code = 1, changed = changed, dials = dials, armed = armed, inCount = inCount})
