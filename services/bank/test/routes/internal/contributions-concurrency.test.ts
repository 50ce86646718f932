import { mintServiceToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { RETIREMENT_CLEARING_ACCOUNT } from '../../../src/domain/ledger/bank-accounts.js'
import { accountsOf, buildTestApp, ledgerViolations, loginAs } from '../../helper.js'

// Retirement's request and its worker may send the same contribution at once (a lease that ran out
// while the bank was slow). No 409 here: every copy answers the one debit, booked once.
t.test('the same contribution id sent many times at once debits once; each answers that transfer', async (t) => {
  const { app, config } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice_con')
  const { checking } = await accountsOf(app, alice)
  const token = mintServiceToken(alice.id, { secret: config.JWT_SECRET as string, scope: 'contributions' })
  const debit = (key: string, amountCents: number) => app.inject({
    method: 'POST',
    url: '/internal/contributions',
    headers: { authorization: `Bearer ${token}`, 'idempotency-key': key },
    payload: { fromAccountId: checking.id, amountCents }
  })
  const clearing = async () => Number((await app.database.db.selectFrom('accounts').select('balance_cents')
    .where('id', '=', RETIREMENT_CLEARING_ACCOUNT.id).executeTakeFirstOrThrow()).balance_cents)

  const results = await Promise.all(Array.from({ length: 20 }, () => debit('contribution-concurrent', 2_500)))
  t.same(results.map((result) => result.statusCode), Array(20).fill(201), 'every copy is answered 201')
  t.equal(new Set(results.map((result) => result.json().transferId)).size, 1, 'all with the one transfer')
  t.equal((await accountsOf(app, alice)).checking.balanceCents, checking.balanceCents - 2_500, 'debited once')
  t.equal(await clearing(), 2_500)
  // On SQLite, proof that they were in flight together: they shared a commit (PostgreSQL: one
  // transaction each, the later ones waiting on the unique key).
  if (app.database.engine === 'sqlite') t.ok(app.transfers.commits().largestBatch > 1, 'booked side by side, in one commit')

  // Another body under one key at the same time: one of them is booked, every other is a 422.
  const mixed = await Promise.all([1_000, 1_000, 1_000, 700, 1_000, 1_000].map((amount) => debit('contribution-mixed', amount)))
  const booked = mixed.filter((result) => result.statusCode === 201)
  t.ok(booked.length >= 1, 'one of them is booked')
  const amount = booked[0]?.json().amountCents as number
  t.ok(mixed.every((result, i) => result.statusCode === ([1_000, 1_000, 1_000, 700, 1_000, 1_000][i] === amount ? 201 : 422)),
    'the same body as the booked one is 201, another is 422')
  t.ok(mixed.filter((result) => result.statusCode === 422).every((result) => result.json().code === 'BANK_IDEMPOTENCY_KEY_REUSED'))
  t.equal(new Set(booked.map((result) => result.json().transferId)).size, 1)
  t.equal((await accountsOf(app, alice)).checking.balanceCents, checking.balanceCents - 2_500 - amount, 'debited once more, by the booked amount')
  const rows = await app.database.db.selectFrom('transfers').select('id').where('user_id', '=', alice.id)
    .where('idempotency_key', 'in', ['contribution-concurrent', 'contribution-mixed']).execute()
  t.equal(rows.length, 2, 'one transfer row per key')
  t.same(await ledgerViolations(app), [])
})
