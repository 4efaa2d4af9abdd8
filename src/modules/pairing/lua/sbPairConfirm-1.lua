-- sbPairConfirm
-- The asker confirms the candidate that passed: like → in call; dislike → matching again.
-- KEYS: ask. ARGV: P, id, uid, peer, like (1/0), callId, now
-- → {1} in call | {2, callId} already in call with it | {0, round} back to matching | {-1} | {-3} ended
--   | {-7} not the asker | {-8} nobody answered | {-9, winner} another peer
--- @include "includes/clear-offers"
local P, id, uid, peer = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'winner', 'callId', 'round', 'startAt')
if not r[1] then return {-1} end
if r[2] ~= uid then return {-7} end
if r[1] == 'ended' then return {-3} end
if r[1] == 'matching' then return {-8} end
if r[3] ~= peer then return {-9, r[3] or ''} end
if r[1] == 'incall' then return {2, r[4] or ''} end
if ARGV[5] == '1' then
  redis.call('HSET', KEYS[1], 'state', 'incall', 'callId', ARGV[6], 'peerUid', peer, 'matchedAt', ARGV[7])
  redis.call('SET', P .. 'call:' .. ARGV[6], id)
  redis.call('ZADD', P .. 'h:' .. peer, r[6], id)
  return {1}
end
redis.call('HSET', KEYS[1], 'state', 'matching')
redis.call('HDEL', KEYS[1], 'winner', 'winnerRound', 'answeredAt')
unbusy(P, peer, id)
return {0, r[5]}
