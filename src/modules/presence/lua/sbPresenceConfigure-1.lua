-- sbPresenceConfigure
-- Stores skills/capacity of an agent (the app's backend), without changing its status.
-- KEYS: agent. ARGV: uid, skills, capacity ('' = keep), now, default rating, prefix → 1
--- @include "includes/agent-refresh"
local P = ARGV[6]
local prev = redis.call('HMGET', KEYS[1], 'status', 'skills', 'load', 'capacity')
if prev[2] and prev[2] ~= ARGV[2] then
  for s in string.gmatch(prev[2], '[^,]+') do redis.call('ZREM', P .. 'idle:' .. s, ARGV[1]) end
end
local f = {'skills', ARGV[2], 'updatedAt', ARGV[4]}
if ARGV[3] ~= '' then f[#f + 1] = 'capacity'; f[#f + 1] = ARGV[3] elseif not prev[4] then f[#f + 1] = 'capacity'; f[#f + 1] = '1' end
if not prev[1] then f[#f + 1] = 'status'; f[#f + 1] = 'offline' end
if not prev[3] then
  for _, kv in ipairs({'load', '0', 'offers', '0', 'rating', ARGV[5], 'ratingSum', '0', 'ratingCount', '0'}) do f[#f + 1] = kv end
end
redis.call('HSET', KEYS[1], unpack(f))
agentRefresh(P, ARGV[1])
return 1
