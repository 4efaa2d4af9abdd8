-- csSeatAdd
-- A seat: nickname and uid both unused. KEYS: seats, nicks. ARGV: uid, nickname, JSON → 1 | -1 nickname used | -2 already a seat
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return -2 end
if redis.call('HSETNX', KEYS[2], ARGV[2], ARGV[1]) == 0 then return -1 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
