import t from 'tap'
import { TRANSFER_ID_PATTERN, newTransferId } from '../../../src/domain/ledger/ledger-ids.js'

t.test('transfer ids sort by booking time, then by order within a millisecond', async (t) => {
  const now = Date.now() + 60_000
  const ids = [newTransferId(now), newTransferId(now), newTransferId(now), newTransferId(now + 1)]
  for (const id of ids) t.match(id, new RegExp(TRANSFER_ID_PATTERN), `${id}: 26 lower-case hex digits`)
  t.same([...ids].sort(), ids, 'text order is booking order')
  t.equal(ids[0]?.slice(0, 12), now.toString(16).padStart(12, '0'), 'the first 12 digits are the milliseconds')
  t.equal(ids[2]?.slice(12, 18), '000002', 'the third id of a millisecond counts 2')
  t.equal(ids[3]?.slice(12, 18), '000000', 'a new millisecond counts from 0')
})

t.test('the last 8 digits are random, so two processes do not collide', async (t) => {
  const tails = new Set(Array.from({ length: 1000 }, () => newTransferId().slice(18)))
  t.ok(tails.size > 990, `1000 ids, ${tails.size} distinct tails`)
  for (let position = 0; position < 8; position++) {
    const seen = new Set([...tails].map((tail) => tail[position]))
    t.ok(seen.size >= 12, `tail digit ${position} varies (${seen.size} values): no fixed UUID version or variant digit`)
  }
})
