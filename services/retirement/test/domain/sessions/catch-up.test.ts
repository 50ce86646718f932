import Fastify from 'fastify'
import { sharedAuthPlugin } from '@nestegg/shared-auth'
import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

/** A stand-in for the bank's catch-up endpoint, guarded by the real shared-auth service-token check. */
async function fakeBank (t: Parameters<typeof buildTestApp>[0], secret: string, revoked: unknown[]) {
  const app = Fastify({ logger: false })
  await app.register(sharedAuthPlugin, { secret, service: 'bank', accessTokenTtlSeconds: 900, clockToleranceSeconds: 30, cookie: { name: 'nestegg_access', secure: false } })
  const calls: string[] = []
  app.get('/internal/revoked-sessions', { onRequest: [app.requireServiceToken('sessions:read')] }, async (request) => {
    calls.push(request.serviceCaller?.actor ?? '')
    return revoked
  })
  t.teardown(() => app.close())
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), calls }
}

t.test('at start, retirement catches up with logouts it missed while down, before serving a request', async (t) => {
  const secret = randomSecret()
  const bank = await fakeBank(t, secret, [{ sessionId: 'sid-missed', userId: alice.id, revokedAt: Date.now() - 5000 }])
  const { app } = await buildTestApp(t, { JWT_SECRET: secret, BANK_INTERNAL_URL: bank.url }, { catchUp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  // No waiting here: the first request itself waits for the catch-up that listening started.
  const token = mintAccessToken(alice, { secret, claims: { sid: 'sid-missed' } })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
  t.same(bank.calls, ['nestegg-retirement'], 'one call, with a service token of its own')
})

t.test('a bank that cannot be reached at start does not stop retirement', async (t) => {
  const { app, bearerFor } = await buildTestApp(t, {}, { catchUp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.equal((await app.inject({ url: '/api/me', headers: bearerFor(alice) })).statusCode, 200)
  await t.rejects(app.catchUpRevokedSessions())
})

// Issue 16, finding 9: restarted while the bank was down, retirement accepted a revoked token (the
// documented "serve anyway"). Where money moves it now fails closed until it has caught up once.
t.test('until it has caught up once, retirement moves no money (503) but serves everything else', async (t) => {
  const secret = randomSecret()
  let bankUp = false
  const stand = Fastify({ logger: false })
  await stand.register(sharedAuthPlugin, { secret, service: 'bank', accessTokenTtlSeconds: 900, clockToleranceSeconds: 30, cookie: { name: 'nestegg_access', secure: false } })
  stand.get('/internal/revoked-sessions', { onRequest: [stand.requireServiceToken('sessions:read')] }, async (_request, reply) =>
    bankUp ? [{ sessionId: 'sid-ended', userId: alice.id, revokedAt: Date.now() - 1000 }] : reply.code(503).send({ error: 'down' }))
  t.teardown(() => stand.close())
  const bankUrl = await stand.listen({ port: 0, host: '127.0.0.1' })
  const { app, bank } = await buildTestApp(t, { JWT_SECRET: secret, BANK_INTERNAL_URL: bankUrl }, { catchUp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  bank.addAccount('acc-alice', alice.id, 100_000)
  const live = { authorization: `Bearer ${mintAccessToken(alice, { secret, claims: { sid: 'sid-live' } })}` }
  const ended = { authorization: `Bearer ${mintAccessToken(alice, { secret, claims: { sid: 'sid-ended' } })}` }

  const plan = await app.inject({ method: 'POST', url: '/api/plans', headers: live, payload: { type: '401k' } })
  t.equal(plan.statusCode, 201, 'other routes serve anyway')
  const contribution = (headers: Record<string, string>, key: string) => app.inject({
    method: 'POST', url: '/api/contributions', headers: { ...headers, 'idempotency-key': key }, payload: { planId: plan.json().id, fromAccountId: 'acc-alice', amountCents: 100 }
  })
  for (const [name, headers] of [['a live session', live], ['a session the bank ended while we were down', ended]] as const) {
    const refused = await contribution(headers, `k-${name.length}`)
    t.equal(refused.statusCode, 503, name)
    t.equal(refused.json().code, 'RET_REVOCATIONS_UNAVAILABLE', name)
  }
  t.equal(bank.calls, 0, 'the bank was not asked to move money')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 100_000)

  bankUp = true
  await app.catchUpRevokedSessions()
  t.equal((await contribution(ended, 'k-after-ended')).statusCode, 401, 'caught up: the ended session is refused')
  t.equal((await contribution(live, 'k-after-live')).statusCode, 201, 'and a live one contributes again')
})
