-- sbConfCallState
-- A provider reports a leg's state. Only the participant's current leg moves; a report for a
-- superseded or finished leg changes nothing (reports may repeat or arrive late).
-- KEYS: conf, parts, calls. ARGV: confId, callid, state (ringing|answered|failed|hungup), now, ring ms
--- @include "includes/participants"
C.now, C.ring = tonumber(ARGV[4]), tonumber(ARGV[5])
local key = redis.call('HGET', KEYS[3], ARGV[2])
if not key then return cjson.encode({code = -6}) end
local p = getp(KEYS[2], key)
if not p or p.callid ~= ARGV[2] then return cjson.encode({code = 0}) end
local st = redis.call('HGET', KEYS[1], 'state')
local s, action, hangup = ARGV[3], nil, false
local ringing = p.call == 'dialling' or p.call == 'ringing'
if s == 'ringing' then
  if p.call == 'dialling' then p.call = 'ringing'; action = 'ringing' end
elseif s == 'answered' then
  if ringing and st == 'live' then p.call = 'connected'; p.state = 1; action = 'answered'
  elseif ringing then hangup = true end
elseif s == 'failed' then
  if ringing then p.call = 'failed'; p.state = 0; action = 'failed' end
elseif s == 'hungup' then
  if p.call == 'connected' then p.call = 'ended'; p.state = 2; action = 'hungup'
  elseif ringing then p.call = 'failed'; p.state = 0; action = 'failed' end
end
if not action then return cjson.encode({code = 0, hangup = hangup}) end
putp(KEYS[2], p)
local armed, inCount = tally(KEYS[1], KEYS[2], ARGV[4])
return cjson.encode({code = 1, action = action, p = p, armed = armed, inCount = inCount})
