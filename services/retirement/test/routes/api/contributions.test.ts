import t from 'tap'
import { alice, bob, buildTestApp, contribute, openPlan } from '../../helper.js'

async function setup (t: Parameters<typeof buildTestApp>[0], type = '401k') {
  const context = await buildTestApp(t)
  const headers = context.bearerFor(alice)
  context.bank.addAccount('acc-alice', alice.id, 100_000)
  context.bank.addAccount('acc-bob', bob.id, 100_000)
  const planId = await openPlan(context.app, headers, type)
  return { ...context, headers, planId }
}

async function planBalance (app: Awaited<ReturnType<typeof setup>>['app'], headers: Record<string, string>, planId: string): Promise<number> {
  return (await app.inject({ url: `/api/plans/${planId}`, headers })).json().balanceCents
}

t.test('happy path: the bank debits once, the plan is credited, the status is completed', async (t) => {
  const { app, headers, planId, bank } = await setup(t)
  const response = await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 25_000 })
  t.equal(response.statusCode, 201)
  const contribution = response.json()
  t.match(contribution, { planId, fromAccountId: 'acc-alice', amountCents: 25_000, status: 'completed', bankTransferId: 't-1' })
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 75_000)
  t.equal(await planBalance(app, headers, planId), 25_000)
  const read = await app.inject({ url: `/api/contributions/${contribution.id}`, headers })
  t.same(read.json(), contribution)
  const history = await app.inject({ url: `/api/plans/${planId}/contributions`, headers })
  t.same(history.json().map((c: { id: string }) => c.id), [contribution.id])
})

t.test('insufficient funds: failed with a reason, nothing credited', async (t) => {
  const { app, headers, planId, bank } = await setup(t)
  const response = await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 100_001 })
  t.equal(response.statusCode, 201)
  t.match(response.json(), { status: 'failed', failureCode: 'BANK_INSUFFICIENT_FUNDS', reason: 'Insufficient funds' })
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 100_000)
  t.equal(await planBalance(app, headers, planId), 0)
})

t.test("another user's bank account is refused by the bank", async (t) => {
  const { app, headers, planId, bank } = await setup(t)
  const response = await contribute(app, headers, { planId, fromAccountId: 'acc-bob', amountCents: 1_000 })
  t.match(response.json(), { status: 'failed', failureCode: 'BANK_ACCOUNT_NOT_FOUND' })
  t.equal(bank.accounts.get('acc-bob')?.balanceCents, 100_000)
})

t.test('the same Idempotency-Key twice is one contribution; reused for another body it is a 422, as at the bank', async (t) => {
  const { app, headers, planId, bank, bearerFor } = await setup(t)
  const payload = { planId, fromAccountId: 'acc-alice', amountCents: 10_000 }
  const first = await contribute(app, headers, payload, 'form-1')
  const second = await contribute(app, headers, payload, 'form-1')
  t.equal(first.statusCode, 201)
  t.equal(second.statusCode, 200)
  t.equal(second.json().id, first.json().id)
  t.equal(bank.calls, 1, 'the bank was asked once')
  t.equal(await planBalance(app, headers, planId), 10_000)
  const reused = await contribute(app, headers, { ...payload, amountCents: 20_000 }, 'form-1')
  t.equal(reused.statusCode, 422)
  t.equal(reused.json().code, 'RET_IDEMPOTENCY_KEY_REUSED')
  // Keys belong to a user: bob's 'form-1' is his own contribution.
  bank.addAccount('acc-bob-2', bob.id, 50_000)
  const bobPlan = await openPlan(app, bearerFor(bob))
  const bobs = await contribute(app, bearerFor(bob), { planId: bobPlan, fromAccountId: 'acc-bob-2', amountCents: 10_000 }, 'form-1')
  t.equal(bobs.statusCode, 201)
  t.not(bobs.json().id, first.json().id)
})

t.test('requests without an Idempotency-Key, with bad amounts, or for unknown plans change nothing', async (t) => {
  const { app, headers, planId, bank } = await setup(t)
  const noKey = await app.inject({ method: 'POST', url: '/api/contributions', headers, payload: { planId, fromAccountId: 'acc-alice', amountCents: 100 } })
  t.equal(noKey.statusCode, 400)
  t.equal(noKey.json().code, 'RET_IDEMPOTENCY_KEY_REQUIRED')
  for (const amountCents of [0, -5, 1.5, '100']) {
    const response = await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents })
    t.equal(response.statusCode, 400, `amount ${JSON.stringify(amountCents)}`)
    t.match(response.json().message, /amountCents/)
  }
  const unknownPlan = await contribute(app, headers, { planId: 'nope', fromAccountId: 'acc-alice', amountCents: 100 })
  t.equal(unknownPlan.statusCode, 404)
  const extra = await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 100, toAccountId: 'x' })
  t.equal(extra.statusCode, 400)
  t.equal(bank.calls, 0)
  t.same((await app.inject({ url: `/api/plans/${planId}/contributions`, headers })).json(), [])
})

t.test('annual limits: refused with a clear message; Traditional and Roth IRAs share one limit', async (t) => {
  const { app, headers, bank, bearerFor } = await setup(t, 'traditional_ira')
  bank.addAccount('acc-rich', alice.id, 10_000_000)
  const plans = (await app.inject({ url: '/api/plans', headers })).json()
  const traditional = plans[0].id
  const roth = await openPlan(app, headers, 'roth_ira')
  t.equal((await contribute(app, headers, { planId: traditional, fromAccountId: 'acc-rich', amountCents: 500_000 })).json().status, 'completed')
  const over = await contribute(app, headers, { planId: roth, fromAccountId: 'acc-rich', amountCents: 250_001 })
  t.equal(over.statusCode, 409)
  t.equal(over.json().code, 'RET_ANNUAL_LIMIT_EXCEEDED')
  t.equal(over.json().message, '$2,500.01 would exceed the 2026 IRA limit of $7,500.00: $5,000.00 is already contributed, $2,500.00 remains')
  t.equal((await contribute(app, headers, { planId: roth, fromAccountId: 'acc-rich', amountCents: 250_000 })).json().status, 'completed')
  // A failed contribution does not use up the limit; a 401(k) has its own.
  const k401 = await openPlan(app, headers, '401k')
  t.equal((await contribute(app, headers, { planId: k401, fromAccountId: 'acc-alice', amountCents: 2_450_000 })).json().status, 'failed')
  t.equal((await contribute(app, headers, { planId: k401, fromAccountId: 'acc-rich', amountCents: 2_450_001 })).statusCode, 409)
  t.equal((await contribute(app, headers, { planId: k401, fromAccountId: 'acc-rich', amountCents: 2_000_000 })).json().status, 'completed')
  // Bob's limit is his own.
  bank.addAccount('acc-bob-rich', bob.id, 1_000_000)
  const bobPlan = await openPlan(app, bearerFor(bob), 'roth_ira')
  t.equal((await contribute(app, bearerFor(bob), { planId: bobPlan, fromAccountId: 'acc-bob-rich', amountCents: 750_000 })).json().status, 'completed')
})

t.test('each tax year has its own limits: 2025\'s, then 2026\'s', async (t) => {
  const { app, headers, bank, clock } = await setup(t, 'roth_ira')
  bank.addAccount('acc-rich', alice.id, 10_000_000)
  const roth = (await app.inject({ url: '/api/plans', headers })).json()[0].id
  clock.advance(-365 * 24 * 3600 * 1000) // 1 June 2025
  const in2025 = await contribute(app, headers, { planId: roth, fromAccountId: 'acc-rich', amountCents: 700_001 })
  t.equal(in2025.statusCode, 409)
  t.match(in2025.json().message, 'would exceed the 2025 IRA limit of $7,000.00')
  t.equal((await contribute(app, headers, { planId: roth, fromAccountId: 'acc-rich', amountCents: 700_000 })).json().status, 'completed')
  t.match((await app.inject({ url: `/api/plans/${roth}`, headers })).json(), { taxYear: 2025, annualLimitCents: 700_000, remainingThisYearCents: 0 })
  clock.advance(365 * 24 * 3600 * 1000) // 1 June 2026: last year's contributions do not count
  t.match((await app.inject({ url: `/api/plans/${roth}`, headers })).json(), { taxYear: 2026, annualLimitCents: 750_000, contributedThisYearCents: 0 })
  t.equal((await contribute(app, headers, { planId: roth, fromAccountId: 'acc-rich', amountCents: 750_000 })).json().status, 'completed')
})

t.test("a contribution is only visible to its owner", async (t) => {
  const { app, headers, planId, bearerFor } = await setup(t)
  const created = (await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 100 })).json()
  t.equal((await app.inject({ url: `/api/contributions/${created.id}`, headers: bearerFor(bob) })).statusCode, 404)
})
