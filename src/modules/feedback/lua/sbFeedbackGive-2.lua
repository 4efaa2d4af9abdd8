-- sbFeedbackGive
-- KEYS: request (dispatch), feedback. ARGV: presence prefix, side, uid, network, translation, now, prior, prior weight
-- → {1, agent rating or ''} | {-1} no conversation | {-3} expired/cancelled | {-5} not that side | {-6} not accepted | {-9} given
--- @include "../../presence/lua/includes/agent"
local P, side, uid = ARGV[1], ARGV[2], ARGV[3]
local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'agent')
if not r[1] then return {-1} end
if r[1] == 'waiting' then return {-6} end
if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
local who = r[3]
if side == 'caller' then who = r[2] end
if uid ~= who then return {-5} end
if redis.call('HEXISTS', KEYS[2], side .. 'At') == 1 then return {-9} end
redis.call('HSET', KEYS[2], side .. 'Network', ARGV[4], side .. 'Translation', ARGV[5], side .. 'At', ARGV[6])
if side ~= 'caller' then return {1, ''} end
return {1, agentRate(P, r[3], ARGV[5], ARGV[7], ARGV[8])}
