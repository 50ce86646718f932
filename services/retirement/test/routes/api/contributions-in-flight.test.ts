import t from 'tap'
import { alice, buildTestApp, contribute, openPlan } from '../../helper.js'

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
  release()
  const answered = await first
  t.equal(answered.statusCode, 201)
  const retried = await contribute(app, headers, body, 'same-key')
  t.equal(retried.statusCode, 200, 'once the first has answered, a retry gets its contribution')
  t.same(retried.json(), answered.json())
  t.equal(bank.calls, 1, 'debited once')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 97_500)
})
