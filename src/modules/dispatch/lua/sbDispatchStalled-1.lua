-- sbDispatchStalled
-- For each skill of the given agents: the oldest waiting request that no agent holds an
-- offer of and whose first round has run (to run its next round now that an agent is free).
-- KEYS: any key of the app (slot). ARGV: D, P, uid… → {id, round, …}
local D, P = ARGV[1], ARGV[2]
local out, done = {}, {}
for i = 3, #ARGV do
  for skill in string.gmatch(redis.call('HGET', P .. 'a:' .. ARGV[i], 'skills') or '', '[^,]+') do
    if not done[skill] then
      done[skill] = true
      for _, id in ipairs(redis.call('ZRANGE', D .. 'w:' .. skill, 0, 9)) do
        local round = redis.call('HGET', D .. 'r:' .. id, 'round') or '0'
        if round ~= '0' and redis.call('SCARD', D .. 'o:' .. id) == 0 then
          out[#out + 1] = id
          out[#out + 1] = round
          break
        end
      end
    end
  end
end
return out
