import t, { type Test } from 'tap'
import { alice, buildTestApp, contribute, openPlan } from '../../helper.js'
import { browserFor, hiddenField } from './page-helper.js'

/** Alice's contribute form, opened in a browser, for `amount` from a checking account holding `balanceCents`. */
async function openForm (t: Test, balanceCents: number, amount: string) {
  const built = await buildTestApp(t)
  built.bank.addAccount('acc-check', alice.id, balanceCents, 'checking')
  const planId = await openPlan(built.app, built.bearerFor(alice), 'roth_ira')
  const browser = browserFor(built.app, built.secret, alice)
  const form = await browser.get(`/contribute?planId=${planId}`)
  const key = hiddenField(form.body, 'idempotencyKey')
  const fields = { _csrf: hiddenField(form.body, '_csrf'), idempotencyKey: key, planId, fromAccountId: 'acc-check', amount }
  return { ...built, planId, browser, key, fields }
}

t.test('the contribute form sent twice while the bank is still debiting: one contribution, both land on it', async (t) => {
  const { app, bank, bearerFor, planId, browser, key, fields } = await openForm(t, 50_000, '125.50')

  // Hold the first debit at the bank until released.
  const debit = bank.debitForContribution.bind(bank)
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let entered = () => {}
  const inside = new Promise<void>((resolve) => { entered = resolve })
  let holding = false
  bank.debitForContribution = async (request) => { const first = !holding; holding = true; if (first) { entered(); await held } return debit(request) }
  // Know when the second click has reached the gate.
  const wait = app.idempotency.waitWhileInFlight
  let gated = () => {}
  const atGate = new Promise<void>((resolve) => { gated = resolve })
  let arrivals = 0
  app.idempotency.waitWhileInFlight = (scope, k, work) => { if (++arrivals === 2) gated(); return wait(scope, k, work) }
  t.teardown(() => { app.idempotency.waitWhileInFlight = wait })

  const answers: string[] = []
  const first = browser.post('/contribute', fields).then((response) => { answers.push('first'); return response })
  await inside
  const second = browser.post('/contribute', fields).then((response) => { answers.push('second'); return response })
  await atGate
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
  t.same(answers, [], 'the second click is not answered while the first is at the bank')
  const recorded = await app.database.db.selectFrom('contributions').select('id').where('idempotency_key', '=', key).execute()
  t.equal(recorded.length, 1, 'one contribution recorded')

  const api = await contribute(app, bearerFor(alice), { planId, fromAccountId: 'acc-check', amountCents: 12_550 }, key)
  t.equal(api.statusCode, 409, 'the API meets the same gate: its key in flight from the form is a 409')
  t.equal(api.json().code, 'RET_IDEMPOTENCY_KEY_IN_FLIGHT')

  release()
  const [one, two] = await Promise.all([first, second])
  t.same(answers, ['first', 'second'], 'the second answers after the first')
  t.equal(one.statusCode, 303)
  t.match(one.headers.location, new RegExp(`^/plans/${planId}\\?contribution=`))
  t.equal(two.statusCode, 303, 'the second click gets the outcome page too, not an error')
  t.equal(two.headers.location, one.headers.location, 'the same contribution')
  t.equal(bank.calls, 1, 'one debit asked of the bank')
  t.equal(bank.accounts.get('acc-check')?.balanceCents, 37_450)
  const plan = await browser.get(two.headers.location as string)
  t.match(plan.body, /id="contribution-result">[^]*Your contribution of \$125\.50 is completed/, 'and it says the contribution is completed')
})

t.test('the form sent again with other values under its key: a clear message and a fresh key, nothing moves', async (t) => {
  const { bank, browser, key, fields } = await openForm(t, 50_000, '10')
  t.equal((await browser.post('/contribute', fields)).statusCode, 303)
  const edited = await browser.post('/contribute', { ...fields, amount: '20' })
  t.equal(edited.statusCode, 422)
  t.match(edited.body, 'This form was already sent with other values. Check your plan before sending it again.')
  t.notMatch(edited.body, 'Idempotency-Key', 'no protocol words for a person')
  t.not(hiddenField(edited.body, 'idempotencyKey'), key, 'the form comes back with a new key')
  t.equal(bank.accounts.get('acc-check')?.balanceCents, 49_000, 'only the first was debited')
})

t.test('the form sent again after it went through lands on the contribution, though the balance no longer covers it', async (t) => {
  const { bank, planId, browser, fields } = await openForm(t, 10_000, '75')
  const first = await browser.post('/contribute', fields)
  t.equal(first.statusCode, 303)
  t.equal(bank.accounts.get('acc-check')?.balanceCents, 2_500, 'debited: $25 left, less than the $75 of the form')
  const again = await browser.post('/contribute', fields)
  t.equal(again.statusCode, 303, 'not the "has $25.00 available" refusal')
  t.equal(again.headers.location, first.headers.location, 'the same contribution')
  t.equal(bank.calls, 1, 'one debit asked of the bank')

  const fresh = await browser.get(`/contribute?planId=${planId}`)
  const another = await browser.post('/contribute', { ...fields, idempotencyKey: hiddenField(fresh.body, 'idempotencyKey') })
  t.equal(another.statusCode, 409, 'a new form for more than the balance is still refused in words')
  t.match(another.body, /has \$25\.00 available/)
})
