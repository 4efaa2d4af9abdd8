-- sbCourseCreate
-- KEYS: course, idx, idx:s:0, idx:h:<uid>, idx:h:<uid>:s:0. ARGV: created, roomnum, field, value, …
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
for i = 2, 5 do redis.call('ZADD', KEYS[i], ARGV[1], ARGV[2]) end
return 1
