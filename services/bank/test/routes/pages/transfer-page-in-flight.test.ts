import t from 'tap'
import { PASSWORD, accountsOf, buildTestApp, ledgerViolations, loginAs, postTransfer } from '../../helper.js'
import { pageClient } from '../../page-client.js'

t.test('the transfer form sent twice while the first is still booking: one transfer, both land on its receipt', async (t) => {
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '100000' })
  const ned = await loginAs(app, 'ned')
  const neds = await accountsOf(app, ned)
  const browser = pageClient(app)
  await browser.get('/login')
  await browser.post('/login', { username: 'ned', password: PASSWORD })
  const page = await browser.get('/transfer')
  const key = browser.hidden(page, 'idempotencyKey')
  const fields = { fromAccountId: neds.checking.id, toAccountId: neds.savings.id, toAccountNumber: '', amount: '12.34', memo: '', idempotencyKey: key }

  // Hold the first booking until released; count every call into the ledger.
  const transfer = app.transfers.transfer
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let entered = () => {}
  const inside = new Promise<void>((resolve) => { entered = resolve })
  let calls = 0
  app.transfers.transfer = async (request) => { if (++calls === 1) { entered(); await held } return transfer(request) }
  // Know when the second click has reached the gate.
  const wait = app.idempotency.waitWhileInFlight
  let gated = () => {}
  const atGate = new Promise<void>((resolve) => { gated = resolve })
  let arrivals = 0
  app.idempotency.waitWhileInFlight = (scope, k, work) => { if (++arrivals === 2) gated(); return wait(scope, k, work) }
  t.teardown(() => { app.transfers.transfer = transfer; app.idempotency.waitWhileInFlight = wait })

  const answers: string[] = []
  const first = browser.post('/transfer', fields).then((response) => { answers.push('first'); return response })
  await inside
  const second = browser.post('/transfer', fields).then((response) => { answers.push('second'); return response })
  await atGate
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve))
  t.equal(calls, 1, 'the second click does not reach the ledger while the first is booking')
  t.same(answers, [], 'nor is it answered')

  const api = await postTransfer(app, ned, { fromAccountId: neds.checking.id, toAccountId: neds.savings.id, amountCents: 1234 }, key)
  t.equal(api.statusCode, 409, 'the API meets the same gate: its key in flight from the form is a 409')
  t.equal(api.json().code, 'BANK_IDEMPOTENCY_KEY_IN_FLIGHT')

  release()
  const [one, two] = await Promise.all([first, second])
  t.same(answers, ['first', 'second'], 'the second answers after the first')
  t.equal(one.statusCode, 303)
  t.match(one.headers.location, /^\/transfers\/[0-9a-f]{26}$/)
  t.equal(two.statusCode, 303, 'the second click gets the outcome page too, not an error')
  t.equal(two.headers.location, one.headers.location, 'the same receipt')
  const after = await accountsOf(app, ned)
  t.equal(after.checking.balanceCents, neds.checking.balanceCents - 1234, 'booked once')
  t.equal(after.savings.balanceCents, neds.savings.balanceCents + 1234)
  t.same(await ledgerViolations(app), [])
})
