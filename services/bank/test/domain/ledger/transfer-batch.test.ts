import t from 'tap'
import { accountsOf, buildTestApp, ledgerViolations, loginAs } from '../../helper.js'

// Group commit is SQLite's: on PostgreSQL each transfer is its own transaction, run concurrently, so
// which of these commits first is not fixed (transfers-concurrency.test.ts covers that engine).
t.test('transfers that arrive together share a commit; a refused one rolls back only itself', {
  skip: process.env.TEST_BANK_DATABASE_URL?.startsWith('postgres') === true && 'SQLite group commit'
}, async (t) => {
  const { app } = await buildTestApp(t)
  const kim = await loginAs(app, 'kim')
  const { checking, savings } = await accountsOf(app, kim)
  const base = { userId: kim.id, fromAccountId: checking.id, toAccountId: savings.id }
  const before = app.transfers.commits()
  const results = await Promise.allSettled([
    app.transfers.transfer({ ...base, amountCents: 100, idempotencyKey: 'batch-1' }),
    app.transfers.transfer({ ...base, amountCents: checking.balanceCents, idempotencyKey: 'batch-2' }), // 100 short by now
    app.transfers.transfer({ ...base, amountCents: 200, idempotencyKey: 'batch-3' }),
    app.transfers.transfer({ ...base, amountCents: 300, idempotencyKey: 'batch-3' }), // the key again, another body
    app.transfers.transfer({ ...base, amountCents: 200, idempotencyKey: 'batch-3' }) // the key again, the same body
  ])
  const after = app.transfers.commits()
  t.equal(after.commits - before.commits, 1, 'one commit')
  t.equal(after.units - before.units, 5, 'for the five transfers')
  t.same(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
  t.match((results[1] as PromiseRejectedResult).reason, { code: 'BANK_INSUFFICIENT_FUNDS' })
  t.match((results[3] as PromiseRejectedResult).reason, { code: 'BANK_IDEMPOTENCY_KEY_REUSED' })
  const third = (results[2] as PromiseFulfilledResult<{ id: string }>).value
  t.equal((results[4] as PromiseFulfilledResult<{ id: string }>).value.id, third.id, 'the retry in the same batch answers the same transfer')

  const now = await accountsOf(app, kim)
  t.equal(now.checking.balanceCents, checking.balanceCents - 300, 'only the two booked transfers moved money')
  t.equal(now.savings.balanceCents, savings.balanceCents + 300)
  const rows = await app.database.db.selectFrom('transfers').select('idempotency_key').where('user_id', '=', kim.id)
    .where('kind', '=', 'transfer').execute()
  t.same(rows.map((row) => row.idempotency_key).sort(), ['batch-1', 'batch-3'], 'no row of a refused transfer')
  t.same(await ledgerViolations(app), [])
})
