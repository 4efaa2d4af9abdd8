-- sbFeedbackGive
-- KEYS: request (dispatch), feedback. ARGV: presence prefix, side, uid, network, translation, now, prior, prior weight
-- → {1, agent rating or ''} | {-1} no conversation | {-3} expired/cancelled | {-5} not that side | {-6} not accepted | {-9} given
--- @include "../../presence/lua/includes/agent-refresh"
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
local ak = P .. 'a:' .. r[3]
local sum = redis.call('HINCRBY', ak, 'ratingSum', ARGV[5])
local n = redis.call('HINCRBY', ak, 'ratingCount', 1)
local w = tonumber(ARGV[8])
local rating = string.format('%.4f', (sum + tonumber(ARGV[7]) * w) / (n + w))
redis.call('HSET', ak, 'rating', rating)
agentRefresh(P, r[3])
return {1, rating}
