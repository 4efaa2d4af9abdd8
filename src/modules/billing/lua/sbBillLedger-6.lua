-- sbBillLedger
-- THE ledger operation: the only writer of balances. Applies `amount` (signed) to the
-- user's balance once per idempotency key: a replayed key changes nothing and returns the
-- original entry; a debit the balance cannot cover changes nothing (balances never go
-- negative). KEYS: bal, idem, entries, seq, userLedger, callLedger.
-- ARGV: uid, amount, key, kind, now, callId or '', unit or '', note or ''
-- → {1, entry, balance} applied | {0, entry, balance} replayed | {-1, '', balance} insufficient
local id = redis.call('HGET', KEYS[2], ARGV[3])
if id then return {0, redis.call('HGET', KEYS[3], id), redis.call('HGET', KEYS[1], ARGV[1]) or '0'} end
local amount = tonumber(ARGV[2])
local bal = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if bal + amount < 0 then return {-1, '', string.format('%d', bal)} end
local nb = string.format('%d', redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2]))
id = string.format('%d', redis.call('INCR', KEYS[4]))
local entry = id .. '|' .. ARGV[3] .. '|' .. ARGV[1] .. '|' .. ARGV[4] .. '|' .. ARGV[2] .. '|' .. nb .. '|' .. ARGV[5] .. '|' .. ARGV[6] .. '|' .. ARGV[7] .. '|' .. ARGV[8]
redis.call('HSET', KEYS[3], id, entry)
redis.call('HSET', KEYS[2], ARGV[3], id)
redis.call('ZADD', KEYS[5], id, id)
if ARGV[6] ~= '' then redis.call('ZADD', KEYS[6], id, id) end
return {1, entry, nb}
