import t from 'tap'
import { RETIREMENT_CLEARING_ACCOUNT } from '../../../src/domain/ledger/bank-accounts.js'
import { accountsOf, buildTestApp, ledgerViolations, loginAs } from '../../helper.js'

t.test('contributions: only into the retirement clearing account, once per key', async (t) => {
  const { app } = await buildTestApp(t)
  const ivy = await loginAs(app, 'ivy')
  const { checking, savings } = await accountsOf(app, ivy)
  const contribution = {
    userId: ivy.id,
    fromAccountId: checking.id,
    toAccountNumber: RETIREMENT_CLEARING_ACCOUNT.number,
    amountCents: 2500,
    idempotencyKey: 'contribution-1',
    kind: 'contribution' as const
  }
  const booked = await app.transfers.transfer(contribution)
  t.match(booked, { kind: 'contribution', toAccountId: RETIREMENT_CLEARING_ACCOUNT.id, amountCents: 2500 })
  t.same(await app.transfers.transfer(contribution), booked, 'a retry answers the same transfer')
  const clearing = await app.database.db.selectFrom('accounts').select('balance_cents')
    .where('id', '=', RETIREMENT_CLEARING_ACCOUNT.id).executeTakeFirstOrThrow()
  t.equal(Number(clearing.balance_cents), 2500)

  await t.rejects(app.transfers.transfer({ ...contribution, idempotencyKey: 'contribution-2', toAccountNumber: savings.number }),
    { code: 'BANK_ACCOUNT_NOT_FOUND', statusCode: 404 }, 'a contribution goes nowhere but clearing')
  await t.rejects(app.transfers.transfer({ ...contribution, idempotencyKey: 'contribution-3', amountCents: 10_000_000 }),
    { code: 'BANK_INSUFFICIENT_FUNDS', statusCode: 409 })
  await t.rejects(app.transfers.transfer({ ...contribution, idempotencyKey: 'contribution-4', amountCents: 0.5 }),
    { code: 'BANK_INVALID_AMOUNT', statusCode: 400 }, 'internal callers get the same amount rules')
  t.equal((await accountsOf(app, ivy)).checking.balanceCents, checking.balanceCents - 2500)
  t.same(await ledgerViolations(app), [])
})
