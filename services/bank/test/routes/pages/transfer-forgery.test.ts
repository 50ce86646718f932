import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildTestApp, loginAs } from '../../helper.js'

// Another site makes the victim's browser post: the access cookie rides along, Origin names the
// attacker, and the CSRF token cannot be read cross-site.
const EVIL = 'https://evil.example'

async function accounts (app: FastifyInstance, bearer: { authorization: string }) {
  return (await app.inject({ url: '/api/accounts', headers: bearer })).json() as Array<{ id: string, number: string, type: string, balanceCents: number }>
}

t.test('a cross-site transfer carrying only the cookie moves no money, as JSON or as a form', async (t) => {
  const { app } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim')
  const thief = await loginAs(app, 'thief')
  const [from] = (await accounts(app, victim.bearer)).filter((account) => account.type === 'checking')
  const [to] = (await accounts(app, thief.bearer)).filter((account) => account.type === 'checking')
  if (from === undefined || to === undefined) throw new Error('no checking accounts')
  const before = { victim: await accounts(app, victim.bearer), thief: await accounts(app, thief.bearer) }
  const cookies = { nestegg_access: victim.token }

  const json = await app.inject({
    method: 'POST', url: '/api/transfers', cookies,
    headers: { origin: EVIL, 'idempotency-key': randomUUID() },
    payload: { fromAccountId: from.id, toAccountNumber: to.number, amountCents: 10_000 }
  })
  t.equal(json.statusCode, 403, 'cross-site JSON')
  const noOrigin = await app.inject({
    method: 'POST', url: '/api/transfers', cookies,
    headers: { 'idempotency-key': randomUUID() },
    payload: { fromAccountId: from.id, toAccountNumber: to.number, amountCents: 10_000 }
  })
  t.equal(noOrigin.statusCode, 403, 'JSON with the cookie but neither Origin nor CSRF token')
  const form = await app.inject({
    method: 'POST', url: '/transfer', cookies,
    headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({
      fromAccountId: from.id, toAccountId: '', toAccountNumber: to.number, amount: '100.00', memo: '', idempotencyKey: randomUUID(), _csrf: 'guessed'
    }).toString()
  })
  t.equal(form.statusCode, 403, 'cross-site form post to the transfer page')

  t.same(await accounts(app, victim.bearer), before.victim, "the victim's balances did not move")
  t.same(await accounts(app, thief.bearer), before.thief, "the thief's balances did not move")
})
