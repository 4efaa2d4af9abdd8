local function clearOffers(P, id, except)
  local o = P .. 'o:' .. id
  local out = {}
  for _, uid in ipairs(redis.call('SMEMBERS', o)) do
    redis.call('SREM', P .. 'co:' .. uid, id)
    if uid ~= except then out[#out + 1] = uid end
  end
  redis.call('DEL', o)
  return out
end
local function unbusy(P, uid, id)
  if uid and uid ~= '' and redis.call('HGET', P .. 'busy', uid) == id then redis.call('HDEL', P .. 'busy', uid) end
end
