-- sbMsgWordsSeed
-- KEYS words, wordsver; ARGV the file's words → version (seeds only when never seeded)
--- @include "includes/each-chunk"
if redis.call('exists', KEYS[2]) == 1 then return tonumber(redis.call('get', KEYS[2])) end
each(KEYS[1], 'sadd', 1)
redis.call('set', KEYS[2], 1)
return 1
