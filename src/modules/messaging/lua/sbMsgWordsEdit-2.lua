-- sbMsgWordsEdit
-- KEYS words, wordsver; ARGV[1] sadd|srem|replace, ARGV[2..] words → {version, changed, count}
--- @include "includes/each-chunk"
local op = ARGV[1]
local n
if op == 'replace' then
  redis.call('del', KEYS[1])
  n = each(KEYS[1], 'sadd', 2)
else
  n = each(KEYS[1], op, 2)
end
local v = tonumber(redis.call('get', KEYS[2]) or '0')
if n > 0 or op == 'replace' then v = redis.call('incr', KEYS[2]) end
return {v, n, redis.call('scard', KEYS[1])}
