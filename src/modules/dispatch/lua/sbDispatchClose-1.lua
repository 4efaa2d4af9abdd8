-- sbDispatchClose
-- Expiry (by = '') or cancellation by the caller of a waiting request; releases its offers.
-- KEYS: request. ARGV: D, P, id, new state, now, by
-- → {1, caller, skill, released agents…} | {0, state} not waiting | {-1} no request | {-5} not the caller
--- @include "../../presence/lua/includes/agent"
--- @include "includes/release-offers"
local D, P, id = ARGV[1], ARGV[2], ARGV[3]
local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'skill')
if not r[1] then return {-1} end
if ARGV[6] ~= '' and ARGV[6] ~= r[2] then return {-5} end
if r[1] ~= 'waiting' then return {0, r[1]} end
redis.call('HSET', KEYS[1], 'state', ARGV[4], 'endedAt', ARGV[5], 'endReason', ARGV[4])
redis.call('ZREM', D .. 'w:' .. r[3], id)
redis.call('SREM', D .. 'u:' .. r[2], id)
redis.call('ZREM', D .. 'due', id)
local out = {1, r[2], r[3]}
for _, a in ipairs(releaseOffers(D, P, id, '')) do out[#out + 1] = a end
return out
