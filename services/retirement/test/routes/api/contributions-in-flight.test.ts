import t from 'tap'
import { alice, bob, buildTestApp, contribute, openPlan } from '../../helper.js'

t.test('a second request with a key whose first request is still being processed is a 409, as at the bank', async (t) => {
  const { app, bank, bearerFor } = await buildTestApp(t)
  const headers = bearerFor(alice)
  bank.addAccount('acc-alice', alice.id, 100_000)
  const planId = await openPlan(app, headers)
  // Hold the first request at the bank until the second has been answered.
  const debit = bank.debitForContribution.bind(bank)
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let entered = () => {}
  let holding = false
  const inside = new Promise<void>((resolve) => { entered = resolve })
  bank.debitForContribution = async (request) => { const first = !holding; holding = true; if (first) { entered(); await held } return debit(request) }

  const body = { planId, fromAccountId: 'acc-alice', amountCents: 2_500 }
  const first = contribute(app, headers, body, 'same-key')
  await inside
  const second = await contribute(app, headers, body, 'same-key')
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'RET_IDEMPOTENCY_KEY_IN_FLIGHT', error: 'Conflict' })
  // Keys are per user: another customer using the same key string at the same time is not blocked.
  bank.addAccount('acc-bob', bob.id, 10_000)
  const bobsPlan = await openPlan(app, bearerFor(bob))
  const other = await contribute(app, bearerFor(bob), { planId: bobsPlan, fromAccountId: 'acc-bob', amountCents: 300 }, 'same-key')
  t.equal(other.statusCode, 201, "the same key of another user is not this user's, even while this user's is in flight")
  t.equal(bank.accounts.get('acc-bob')?.balanceCents, 9_700, 'and it is debited for him')
  release()
  const answered = await first
  t.equal(answered.statusCode, 201)
  const retried = await contribute(app, headers, body, 'same-key')
  t.equal(retried.statusCode, 200, 'once the first has answered, a retry gets its contribution')
  t.same(retried.json(), answered.json())
  t.equal(bank.calls, 2, "debited once for alice (and once for bob)")
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 97_500)
})
