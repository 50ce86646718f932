import Fastify from 'fastify'
import { loadConfig } from '@nestegg/platform'
import { IssuerConfigSchema, type RevokedSession, issuer } from '@nestegg/shared-auth'
import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

/** A stand-in bank: the real issuer, whose catch-up route answers the given sessions. */
async function fakeBank (t: Parameters<typeof buildTestApp>[0], secret: string, revoked: RevokedSession[] | (() => Promise<RevokedSession[]>), port = 0) {
  const app = Fastify({ logger: false })
  const calls: string[] = []
  // The catch-up calls only (retirement also reads the bank's issuer metadata beside each).
  app.addHook('preHandler', async (request) => { if (request.url.startsWith('/internal/revoked-sessions')) calls.push(request.serviceCaller?.actor ?? '') })
  await app.register(issuer, {
    config: loadConfig(IssuerConfigSchema, { NODE_ENV: 'test', JWT_SECRET: secret }),
    parties: [{ name: 'retirement', url: 'http://127.0.0.1:9' }],
    publicUrl: 'http://localhost:3000',
    isSessionRevoked: () => false,
    revokedSince: async () => typeof revoked === 'function' ? revoked() : revoked
  })
  t.teardown(() => app.close())
  return { url: await app.listen({ port, host: '127.0.0.1' }), calls }
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
  // The real issuer as the bank, whose catch-up route fails (a 5xx) until the bank is "up".
  const { url: bankUrl } = await fakeBank(t, secret, async () => {
    if (!bankUp) throw new Error('the bank is down')
    return [{ sessionId: 'sid-ended', userId: alice.id, revokedAt: Date.now() - 1000 }]
  })
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
    t.same(refused.json(), {
      statusCode: 503,
      code: 'RET_REVOCATIONS_UNAVAILABLE',
      error: 'Service Unavailable',
      message: 'Sign-outs cannot be checked with the bank yet, so no money can move right now; try again shortly'
    }, name)
  }
  t.equal(bank.calls, 0, 'the bank was not asked to move money')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 100_000)

  bankUp = true
  await app.catchUpRevokedSessions()
  t.equal((await contribution(ended, 'k-after-ended')).statusCode, 401, 'caught up: the ended session is refused')
  t.equal((await contribution(live, 'k-after-live')).statusCode, 201, 'and a live one contributes again')
})

t.test('while the bank is starting, retirement waits quietly: debug lines, then info once caught up, and one warning only if the bank stays away', async (t) => {
  const secret = randomSecret()
  const lines: Array<{ level: number, msg: string }> = []
  const stream = { write: (line: string) => { lines.push(JSON.parse(line) as { level: number, msg: string }) } }
  const port = await new Promise<number>((resolve) => {
    const probe = Fastify()
    void probe.listen({ port: 0, host: '127.0.0.1' }).then(() => {
      const { port } = probe.server.address() as { port: number }
      void probe.close().then(() => resolve(port))
    })
  })
  const { app } = await buildTestApp(t, { JWT_SECRET: secret, BANK_INTERNAL_URL: `http://127.0.0.1:${port}` }, {
    catchUp: { retryMs: 20, warnAfterMs: 400 },
    logger: { level: 'debug', stream }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const levelOf = (name: string) => ({ debug: 20, info: 30, warn: 40 } as Record<string, number>)[name]
  const about = (level: string) => lines.filter((line) => line.level === levelOf(level) && /bank/.test(line.msg))
  await new Promise((resolve) => setTimeout(resolve, 150))
  t.ok(about('debug').length >= 1, 'a debug line while it waits')
  t.equal(about('warn').length, 0, 'no warning while the bank is merely starting')
  await new Promise((resolve) => setTimeout(resolve, 600))
  t.equal(about('warn').length, 1, 'one warning once the bank has been away for the warning delay')
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal(about('warn').length, 1, 'and only one, however long it stays away')
  // The bank arrives on the port retirement is retrying.
  const bank = await fakeBank(t, secret, [], port)
  for (let i = 0; i < 100 && about('info').length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.match(about('info').map((line) => line.msg), [/caught up/], 'an info line when it has caught up')
})
