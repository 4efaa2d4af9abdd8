-- sbDispatchDecline
-- An agent declines (or goes offline). KEYS: request. ARGV: D, P, id, uid
-- → {1, offers still pending, state, round} | {0} held no offer
--- @include "../../presence/lua/includes/agent"
local D, P, id, uid = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if redis.call('SREM', D .. 'o:' .. id, uid) == 0 then return {0} end
redis.call('SREM', D .. 'ao:' .. uid, id)
agentOffers(P, uid, -1)
local r = redis.call('HMGET', KEYS[1], 'state', 'round')
return {1, redis.call('SCARD', D .. 'o:' .. id), r[1] or '', r[2] or '0'}
