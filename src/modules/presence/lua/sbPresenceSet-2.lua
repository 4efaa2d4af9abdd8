-- sbPresenceSet
-- Sets an agent online/offline, optionally replacing skills and capacity.
-- KEYS: agent, due. ARGV: uid, status, now, deadline, skills ('' = keep), capacity ('' = keep), default rating, prefix
-- → {1, previous status} | {-1} online without skills
--- @include "includes/agent-refresh"
local P = ARGV[8]
local prev = redis.call('HMGET', KEYS[1], 'status', 'skills', 'load', 'capacity')
local skills = ARGV[5]
if skills == '' then skills = prev[2] or '' end
if ARGV[2] == 'online' and skills == '' then return {-1} end
if prev[2] and prev[2] ~= skills then
  for s in string.gmatch(prev[2], '[^,]+') do redis.call('ZREM', P .. 'idle:' .. s, ARGV[1]) end
end
local f = {'status', ARGV[2], 'skills', skills, 'updatedAt', ARGV[3]}
if ARGV[6] ~= '' then f[#f + 1] = 'capacity'; f[#f + 1] = ARGV[6] elseif not prev[4] then f[#f + 1] = 'capacity'; f[#f + 1] = '1' end
if not prev[3] then
  for _, kv in ipairs({'load', '0', 'offers', '0', 'rating', ARGV[7], 'ratingSum', '0', 'ratingCount', '0'}) do f[#f + 1] = kv end
end
if ARGV[2] == 'online' then
  if prev[1] ~= 'online' then f[#f + 1] = 'idleSince'; f[#f + 1] = ARGV[3] end
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
else
  redis.call('ZREM', KEYS[2], ARGV[1])
end
redis.call('HSET', KEYS[1], unpack(f))
agentRefresh(P, ARGV[1])
return {1, prev[1] or 'offline'}
