-- Releases every pending offer of request `id` (Lua; D, P prefixes). Returns the agents.
--- @include "../../../presence/lua/includes/agent-refresh"
local function releaseOffers(D, P, id, keep)
  local all = redis.call('SMEMBERS', D .. 'o:' .. id)
  redis.call('DEL', D .. 'o:' .. id)
  local out = {}
  for _, a in ipairs(all) do
    redis.call('SREM', D .. 'ao:' .. a, id)
    redis.call('HINCRBY', P .. 'a:' .. a, 'offers', -1)
    if a == keep then redis.call('HINCRBY', P .. 'a:' .. a, 'load', 1) else out[#out + 1] = a end
    agentRefresh(P, a)
  end
  return out
end
