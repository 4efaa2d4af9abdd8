-- sbPairAnswer
-- A candidate answers round n: first pass wins; a refusal only drops its offer.
-- KEYS: ask. ARGV: P, id, uid, round, pass (1/0), now
-- → {1, askUid, other candidates…} won | {2} had already won | {0, offers left in the round} refused | {-1} no ask | {-2, winner} taken
--   | {-3} ended | {-4} not offered | {-5, current round} stale round | {-6} busy with another ask
--- @include "includes/clear-offers"
local P, id, uid = ARGV[1], ARGV[2], ARGV[3]
local r = redis.call('HMGET', KEYS[1], 'state', 'askUid', 'round', 'winner')
if not r[1] then return {-1} end
if redis.call('SISMEMBER', P .. 'asked:' .. id, uid) == 0 then return {-4} end
if r[1] == 'ended' then return {-3} end
if r[1] ~= 'matching' then
  if r[4] == uid then return {2} end
  return {-2, r[4] or ''}
end
if r[3] ~= ARGV[4] then return {-5, r[3]} end
if redis.call('SISMEMBER', P .. 'o:' .. id, uid) == 0 then return {-4} end
if ARGV[5] ~= '1' then
  redis.call('SREM', P .. 'o:' .. id, uid)
  redis.call('SREM', P .. 'co:' .. uid, id)
  return {0, redis.call('SCARD', P .. 'o:' .. id)}
end
if redis.call('HEXISTS', P .. 'busy', uid) == 1 then return {-6} end
redis.call('HSET', KEYS[1], 'state', 'answered', 'winner', uid, 'winnerRound', ARGV[4], 'answeredAt', ARGV[6])
redis.call('HSET', P .. 'busy', uid, id)
local out = {1, r[2]}
for _, o in ipairs(clearOffers(P, id, uid)) do out[#out + 1] = o end
return out
