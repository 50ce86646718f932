import t from 'tap'
import { accountsOf, buildTestApp, loginAs, newKey, postTransfer } from '../../helper.js'

t.test('a second request with a key whose first request is still being processed is a 409, as at retirement', async (t) => {
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '10000' })
  const eve = await loginAs(app, 'eve')
  const fay = await loginAs(app, 'fay')
  const eves = await accountsOf(app, eve)
  const body = { fromAccountId: eves.checking.id, toAccountId: eves.savings.id, amountCents: 125 }
  // Hold the first transfer before the ledger until the second request has been answered.
  const transfer = app.transfers.transfer
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let entered = () => {}
  let holding = false
  const inside = new Promise<void>((resolve) => { entered = resolve })
  app.transfers.transfer = async (request) => { const first = !holding; holding = true; if (first) { entered(); await held } return transfer(request) }
  t.teardown(() => { app.transfers.transfer = transfer })

  const key = newKey()
  const first = postTransfer(app, eve, body, key)
  await inside
  const second = await postTransfer(app, eve, body, key)
  t.equal(second.statusCode, 409)
  t.match(second.json(), { code: 'BANK_IDEMPOTENCY_KEY_IN_FLIGHT', error: 'Conflict' })
  // Keys are per user: another customer using the same key string at the same time is not blocked.
  const fays = await accountsOf(app, fay)
  const other = await postTransfer(app, fay, { fromAccountId: fays.checking.id, toAccountId: fays.savings.id, amountCents: 300 }, key)
  t.equal(other.statusCode, 201, "the same key of another user is not this user's, even while this user's is in flight")
  t.equal((await accountsOf(app, fay)).savings.balanceCents, fays.savings.balanceCents + 300, 'and it is booked for her')
  release()
  const answered = await first
  t.equal(answered.statusCode, 201)
  const retried = await postTransfer(app, eve, body, key)
  t.equal(retried.statusCode, 201, 'once the first has answered, a retry gets its transfer')
  t.same(retried.json(), answered.json())
  t.equal((await accountsOf(app, eve)).savings.balanceCents, eves.savings.balanceCents + 125, 'booked once')
})
