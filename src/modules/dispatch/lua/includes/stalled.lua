-- The requests that free agents can unblock (Lua; D, P prefixes): for each skill of the
-- agents in `uids` (once per skill), the oldest waiting request no agent holds an offer of and
-- whose first round has run. Appends {id, round} pairs to `out`; returns how many pairs.
local function stalledRequests(D, P, uids, out)
  local done, n = {}, 0
  for _, uid in ipairs(uids) do
    for skill in string.gmatch(redis.call('HGET', P .. 'a:' .. uid, 'skills') or '', '[^,]+') do
      if not done[skill] then
        done[skill] = true
        for _, id in ipairs(redis.call('ZRANGE', D .. 'w:' .. skill, 0, 9)) do
          local round = redis.call('HGET', D .. 'r:' .. id, 'round') or '0'
          if round ~= '0' and redis.call('SCARD', D .. 'o:' .. id) == 0 then
            out[#out + 1] = id
            out[#out + 1] = round
            n = n + 1
            break
          end
        end
      end
    end
  end
  return n
end
