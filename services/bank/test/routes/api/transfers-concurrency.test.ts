import t from 'tap'
import { accountsOf, buildTestApp, ledgerViolations, loginAs, newKey } from '../../helper.js'

// Real HTTP on a free port: every request is its own connection and its own transaction.
t.test('concurrent transfers through HTTP', async (t) => {
  const balance = 10_000
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: String(balance) })
  const eve = await loginAs(app, 'eve')
  const fay = await loginAs(app, 'fay')
  const eves = await accountsOf(app, eve)
  const fays = await accountsOf(app, fay)
  const base = await app.listen({ port: 0, host: '127.0.0.1' })

  const post = (body: unknown, key: string) => fetch(`${base}/api/transfers`, {
    method: 'POST',
    headers: { ...eve.bearer, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body)
  }).then(async (response) => ({ status: response.status, body: await response.json() as Record<string, unknown> }))

  t.test('from B cents, transfers of a cents: exactly floor(B/a) succeed, the rest are 409', async (t) => {
    const amount = 700
    const attempts = 40
    const results = await Promise.all(Array.from({ length: attempts }, (_, i) =>
      post({ fromAccountId: eves.checking.id, toAccountNumber: fays.savings.number, amountCents: amount, memo: `#${i}` }, newKey())))
    const succeeded = results.filter((result) => result.status === 201)
    const refused = results.filter((result) => result.status === 409)
    t.equal(succeeded.length, Math.floor(balance / amount))
    t.equal(refused.length, attempts - succeeded.length)
    t.ok(refused.every((result) => result.body.code === 'BANK_INSUFFICIENT_FUNDS'))
    t.equal(new Set(succeeded.map((result) => result.body.id)).size, succeeded.length)
    const after = { eve: await accountsOf(app, eve), fay: await accountsOf(app, fay) }
    t.equal(after.eve.checking.balanceCents, balance % amount, 'no balance went negative')
    t.equal(after.fay.savings.balanceCents, succeeded.length * amount)
    t.same(await ledgerViolations(app), [])
  })

  t.test('50 concurrent requests with one key book once: each answers that transfer or 409 while it is in flight', async (t) => {
    const key = newKey()
    const body = { fromAccountId: eves.checking.id, toAccountId: eves.savings.id, amountCents: 50 }
    const before = await accountsOf(app, eve)
    const results = await Promise.all(Array.from({ length: 50 }, () => post(body, key)))
    const answered = results.filter((result) => result.status === 201)
    const inFlight = results.filter((result) => result.status === 409)
    t.ok(answered.length >= 1)
    t.equal(answered.length + inFlight.length, 50, 'nothing but 201 and 409')
    t.ok(inFlight.every((result) => result.body.code === 'BANK_IDEMPOTENCY_KEY_IN_FLIGHT'))
    const retried = await post(body, key)
    t.equal(retried.status, 201)
    t.equal(new Set([...answered, retried].map((result) => JSON.stringify(result.body))).size, 1, 'one identical body')
    const after = await accountsOf(app, eve)
    t.equal(after.checking.balanceCents, before.checking.balanceCents - 50)
    t.equal(after.savings.balanceCents, before.savings.balanceCents + 50)
    const booked = await app.database.db.selectFrom('transfers').select('id')
      .where('user_id', '=', eve.id).where('idempotency_key', '=', key).execute()
    t.equal(booked.length, 1)
    t.same(await ledgerViolations(app), [])
  })
})
