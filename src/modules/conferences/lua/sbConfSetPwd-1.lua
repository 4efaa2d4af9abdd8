-- sbConfSetPwd
-- Sets or clears the password of a conference that has not ended. KEYS: conf. ARGV: pwd
local st = redis.call('HGET', KEYS[1], 'state')
if not st then return -1 end
if st == 'ended' then return -2 end
redis.call('HSET', KEYS[1], 'pwd', ARGV[1])
return 1
