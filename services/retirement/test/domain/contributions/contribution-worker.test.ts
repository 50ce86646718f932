import t from 'tap'
import { retryDelayMs } from '../../../src/domain/contributions/backoff.js'
import { alice, buildTestApp, contribute, openPlan } from '../../helper.js'

async function setup (t: Parameters<typeof buildTestApp>[0]) {
  const context = await buildTestApp(t, { CONTRIBUTION_RETRY_BASE_MS: '1000', CONTRIBUTION_RETRY_MAX_MS: '8000', BANK_TIMEOUT_MS: '2000' })
  const headers = context.bearerFor(alice)
  context.bank.addAccount('acc-alice', alice.id, 100_000)
  const planId = await openPlan(context.app, headers)
  const balance = async () => (await context.app.inject({ url: `/api/plans/${planId}`, headers })).json().balanceCents as number
  const status = async (id: string) => (await context.app.inject({ url: `/api/contributions/${id}`, headers })).json()
  return { ...context, headers, planId, balance, status }
}

t.test('backoff doubles from the base and stops growing at the cap', async (t) => {
  const policy = { baseMs: 1000, maxMs: 8000, leaseMs: 3000 }
  t.same([1, 2, 3, 4, 5, 50].map((attempts) => retryDelayMs(policy, attempts)), [1000, 2000, 4000, 8000, 8000, 8000])
})

t.test('bank down while contributing, then up: pending (202), retried with backoff, then completed once', async (t) => {
  const { app, headers, planId, bank, clock, balance, status } = await setup(t)
  bank.down = true
  const response = await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 30_000 })
  t.equal(response.statusCode, 202)
  const { id } = response.json()
  t.equal(response.json().status, 'pending')
  t.equal(await balance(), 0)

  // Nothing is due before the retry delay (1 s after the first failure).
  t.equal(await app.contributionWorker.runOnce(), 0)
  clock.advance(1000)
  t.equal(await app.contributionWorker.runOnce(), 1, 'second attempt')
  t.equal((await status(id)).status, 'pending')
  clock.advance(1999)
  t.equal(await app.contributionWorker.runOnce(), 0, 'the delay doubled to 2 s')
  clock.advance(1)
  t.equal(await app.contributionWorker.runOnce(), 1, 'third attempt')
  t.equal(bank.calls, 3)

  bank.down = false
  clock.advance(4000)
  t.equal(await app.contributionWorker.runOnce(), 1)
  t.match(await status(id), { status: 'completed', bankTransferId: 't-1' })
  t.equal(await balance(), 30_000)
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 70_000)
  clock.advance(60_000)
  t.equal(await app.contributionWorker.runOnce(), 0, 'nothing left to do')
})

t.test('the bank debited but the answer was lost: the retry finds the same debit and credits once', async (t) => {
  const { app, headers, planId, bank, clock, balance, status } = await setup(t)
  bank.loseNextResponse = true
  const { id } = (await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 12_345 })).json()
  t.equal((await status(id)).status, 'pending')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 87_655, 'debited already')
  t.equal(await balance(), 0, 'not credited without a confirmed debit')
  clock.advance(1000)
  await app.contributionWorker.runOnce()
  t.equal((await status(id)).status, 'completed')
  t.equal(await balance(), 12_345)
  t.equal(bank.debits.size, 1, 'one debit at the bank')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 87_655)
})

t.test('a process that died mid-attempt leaves a lease; after it expires the worker finishes the job', async (t) => {
  const { app, headers, planId, bank, clock, balance } = await setup(t)
  // Simulate a request that recorded the contribution and started its attempt, then died.
  bank.down = true
  const { id } = (await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 500 })).json()
  await app.database.db.updateTable('contributions').set({ next_attempt_at: clock() + 3000 }).where('id', '=', id).execute()
  bank.down = false
  clock.advance(2999)
  t.equal(await app.contributionWorker.runOnce(), 0, 'still leased to the attempt that died')
  clock.advance(1)
  t.equal(await app.contributionWorker.runOnce(), 1)
  t.equal(await balance(), 500)
})

t.test('two attempts at once (a request and a worker, or two processes) still credit once', async (t) => {
  const { app, headers, planId, bank, clock, balance } = await setup(t)
  bank.down = true
  const { id } = (await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 700 })).json()
  bank.down = false
  clock.advance(10_000)
  await Promise.all([app.contributions.attemptIfPending(id), app.contributions.attemptIfPending(id), app.contributionWorker.runOnce()])
  t.equal(await balance(), 700)
  t.equal(bank.debits.size, 1)
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 99_300)
})

t.test('two workers polling at once (two copies of the service) attempt each due contribution once', async (t) => {
  const { app, headers, planId, bank, clock, balance } = await setup(t)
  bank.down = true
  for (let i = 0; i < 6; i++) await contribute(app, headers, { planId, fromAccountId: 'acc-alice', amountCents: 100 })
  bank.down = false
  clock.advance(10_000)
  const attemptsPerContribution = new Map<string, number>()
  const debit = bank.debitForContribution.bind(bank)
  bank.debitForContribution = async (request) => {
    attemptsPerContribution.set(request.contributionId, (attemptsPerContribution.get(request.contributionId) ?? 0) + 1)
    // Let the other worker run while this one is "at the bank".
    await new Promise((resolve) => setImmediate(resolve))
    return debit(request)
  }
  const [first, second] = await Promise.all([app.contributionWorker.runOnce(), app.contributionWorker.runOnce()])
  t.equal(first + second, 6, 'between them they attempted all six')
  t.same([...attemptsPerContribution.values()], [1, 1, 1, 1, 1, 1], 'none was attempted twice')
  t.equal(await balance(), 600)
})
