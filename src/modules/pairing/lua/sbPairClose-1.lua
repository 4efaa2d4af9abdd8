-- sbPairClose
-- The ask ends (cancel by the asker, no match, balance, the call ended). With a round given
-- (the round timeout), only while still matching in that round.
-- KEYS: ask. ARGV: P, id, by ('' = the system), reason, now, round ('' any)
-- → {1, askUid, previous state, winner, callId, released candidates…} | {0, state} | {-1} | {-7} not the asker
--- @include "includes/clear-offers"
local P, id = ARGV[1], ARGV[2]
local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'winner', 'callId', 'round')
if not r[1] then return {-1} end
if ARGV[3] ~= '' and ARGV[3] ~= r[2] then return {-7} end
if r[1] == 'ended' then return {0, r[1]} end
if ARGV[6] ~= '' and (r[1] ~= 'matching' or r[5] ~= ARGV[6]) then return {0, r[1]} end
redis.call('HSET', KEYS[1], 'state', 'ended', 'endedAt', ARGV[5], 'endReason', ARGV[4])
unbusy(P, r[2], id)
unbusy(P, r[3], id)
local out = {1, r[2], r[1], r[3] or '', r[4] or ''}
for _, o in ipairs(clearOffers(P, id, '')) do out[#out + 1] = o end
return out
