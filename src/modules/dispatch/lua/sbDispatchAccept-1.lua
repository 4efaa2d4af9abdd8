-- sbDispatchAccept
-- First accept wins: only a waiting request, only by an agent holding its offer. The other
-- offers are released in the same step (those agents are idle again at once).
-- The request's timer (D..'due') becomes its no-show: now + no-show ms (none when 0).
-- KEYS: request. ARGV: D, P, id, uid, now, no-show ms
-- → {1, caller, round, #others, other agents…, #stalled, (stalled id, round)…, request hash field, value…} won
--   (stalled: the requests the released agents can take now, as sbDispatchStalled; the hash: the request after the accept)
--   | {2, caller, round} this agent had already won | {-1} no request
--   | {-2, winner} already taken | {-3} expired or cancelled | {-4} not offered to this agent
--- @include "../../presence/lua/includes/agent"
--- @include "includes/release-offers"
--- @include "includes/stalled"
local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local r = redis.call('HMGET', KEYS[1], 'state', 'agent', 'caller', 'skill', 'round')
if not r[1] then return {-1} end
if r[1] ~= 'waiting' then
  if r[2] == uid then return {2, r[3], r[5]} end
  if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
  return {-2, r[2] or ''}
end
if redis.call('SISMEMBER', D .. 'o:' .. id, uid) == 0 then return {-4} end
redis.call('HSET', KEYS[1], 'state', 'accepted', 'agent', uid, 'acceptedAt', ARGV[5])
redis.call('ZREM', D .. 'w:' .. r[4], id)
redis.call('SADD', D .. 'u:' .. uid, id)
if tonumber(ARGV[6]) > 0 then redis.call('ZADD', D .. 'due', tonumber(ARGV[5]) + tonumber(ARGV[6]), id)
else redis.call('ZREM', D .. 'due', id) end
local others = releaseOffers(D, P, id, uid)
local out = {1, r[3], r[5], #others}
for _, a in ipairs(others) do out[#out + 1] = a end
local at = #out + 1
out[at] = 0
out[at] = stalledRequests(D, P, others, out)
for _, v in ipairs(redis.call('HGETALL', KEYS[1])) do out[#out + 1] = v end
return out
