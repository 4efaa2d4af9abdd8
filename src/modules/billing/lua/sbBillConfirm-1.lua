-- sbBillConfirm
-- The payer closes the bill of an ended call. KEYS: call. ARGV: payer, now
-- → 1 confirmed now | 0 already confirmed | -1 no call | -2 not the payer | -3 still active
local c = redis.call('HMGET', KEYS[1], 'state', 'payer')
if not c[1] then return -1 end
if c[2] ~= ARGV[1] then return -2 end
if c[1] == 'active' then return -3 end
if c[1] == 'confirmed' then return 0 end
redis.call('HSET', KEYS[1], 'state', 'confirmed', 'confirmedAt', ARGV[2])
return 1
