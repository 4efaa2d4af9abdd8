-- sbConfStart
-- A scheduled conference starts: live, and those invited before the start are dialled.
-- KEYS: conf, parts, calls. ARGV: confId, now, ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[2]), tonumber(ARGV[3])
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return cjson.encode({code = -1}) end
if st ~= 'scheduled' then return cjson.encode({code = 0}) end
redis.call('HSET', KEYS[1], 'state', 'live', 'startedAt', ARGV[2])
local changed, dials = {}, {}
for _, j in ipairs(redis.call('HVALS', KEYS[2])) do
  local p = cjson.decode(j)
  if p.dialOnStart then
    if p.number and not active(p) then
      dials[#dials + 1] = dial(KEYS[1], KEYS[3], ARGV[1], p)
      changed[#changed + 1] = {action = 'dialling', p = p}
    end
    p.dialOnStart = nil
    putp(KEYS[2], p)
  end
end
local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[2])
return cjson.encode({code = 1, changed = changed, dials = dials, armed = armed, inCount = inCount})
