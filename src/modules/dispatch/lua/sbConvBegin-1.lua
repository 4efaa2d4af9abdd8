-- sbConvBegin
-- The conversation begins (accepted → active; its no-show timer in D..'due' is dropped); idempotent.
-- KEYS: request. ARGV: uid, expected agent ('' any), now, D, id
-- → {1 begun | 2 already active, caller, agent, startedAt} | {-1} none | {-3} expired/cancelled | {-5} not a party
--   | {-6} not accepted yet | {-7} another agent accepted | {-8} ended
local r = redis.call('HMGET', KEYS[1], 'state', 'caller', 'agent', 'startedAt')
if not r[1] then return {-1} end
if ARGV[1] ~= r[2] and ARGV[1] ~= r[3] then return {-5} end
if r[1] == 'waiting' then return {-6} end
if r[1] == 'expired' or r[1] == 'cancelled' then return {-3} end
if ARGV[2] ~= '' and ARGV[2] ~= r[3] then return {-7} end
if r[1] == 'ended' then return {-8} end
if r[1] == 'active' then return {2, r[2], r[3], r[4]} end
redis.call('HSET', KEYS[1], 'state', 'active', 'startedAt', ARGV[3])
redis.call('ZREM', ARGV[4] .. 'due', ARGV[5])
return {1, r[2], r[3], ARGV[3]}
