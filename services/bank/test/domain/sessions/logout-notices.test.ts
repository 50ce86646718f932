import Fastify from 'fastify'
import { loadConfig } from '@nestegg/platform'
import { RelyingPartyConfigSchema, relyingParty } from '@nestegg/shared-auth'
import { mintServiceToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { buildTestApp, loginAs, testClock } from '../../helper.js'

/** A relying party (the real plugin) that records the sessions it is told of, and can be down. */
async function fakeParty (t: Parameters<typeof buildTestApp>[0], secret: string, name = 'retirement') {
  const app = Fastify({ logger: false })
  const state = { up: false, received: [] as string[] }
  app.addHook('onRequest', async (_request, reply) => {
    if (!state.up) return reply.code(503).send({ down: true })
  })
  await app.register(relyingParty, {
    name,
    config: loadConfig(RelyingPartyConfigSchema, { NODE_ENV: 'test', JWT_SECRET: secret }),
    catchUp: false,
    denyList: { add: async (sessions) => { state.received.push(...sessions.map((session) => session.sessionId)) }, isRevoked: () => false }
  })
  t.teardown(() => app.close())
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), state }
}

t.test('a failed back-channel call is retried with backoff until retirement answers', async (t) => {
  const secret = 'b'.repeat(48)
  const retirement = await fakeParty(t, secret)
  const clock = testClock()
  const { app } = await buildTestApp(t, { JWT_SECRET: secret, RETIREMENT_INTERNAL_URL: retirement.url }, { clock: clock.now })
  const user = await loginAs(app, 'cleo')
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.bearer, payload: {} })
  const [sessionId] = (await app.database.db.selectFrom('sessions').select('id').execute()).map((row) => row.id)

  t.equal(await app.logoutNotices.runOnce(), 0, 'retirement is down')
  const row = async () => app.database.db.selectFrom('logout_deliveries').selectAll().executeTakeFirstOrThrow()
  t.equal((await row()).attempts, 1)
  t.ok((await row()).next_attempt_at > clock.now(), 'the next attempt waits')
  t.equal(await app.logoutNotices.runOnce(), 0, 'not due yet: nothing sent')
  t.equal((await row()).attempts, 1)

  clock.advance(1)
  t.equal(await app.logoutNotices.runOnce(), 0)
  const second = await row()
  t.equal(second.attempts, 2)
  t.ok(second.next_attempt_at - clock.now() > 250, 'the delay grows')

  retirement.state.up = true
  clock.advance(5)
  t.equal(await app.logoutNotices.runOnce(), 1)
  t.same(retirement.state.received, [sessionId], 'a verified logout token for that session arrived')
  t.ok((await row()).delivered_at)
  t.equal(await app.logoutNotices.runOnce(), 0, 'delivered once only')

  clock.advance(3600)
  await app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: user.bearer })
  t.equal(await app.logoutNotices.runOnce(), 0, 'nothing more to send: that session had already ended')
})

t.test('every party in RELYING_PARTIES is in the token audience and gets every notice; one that was down gets it when back', async (t) => {
  const secret = 'c'.repeat(48)
  const retirement = await fakeParty(t, secret)
  const insurance = await fakeParty(t, secret, 'insurance')
  retirement.state.up = true
  const clock = testClock()
  const { app } = await buildTestApp(t, { JWT_SECRET: secret, RELYING_PARTIES: `retirement=${retirement.url},insurance=${insurance.url}` }, { clock: clock.now })
  const user = await loginAs(app, 'fern')
  const claims = JSON.parse(Buffer.from(user.token.split('.')[1] ?? '', 'base64url').toString())
  t.same(claims.aud, ['nestegg-bank', 'nestegg-retirement', 'nestegg-insurance'])
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.bearer, payload: {} })
  const [sessionId] = (await app.database.db.selectFrom('sessions').select('id').execute()).map((row) => row.id)
  const notices = await app.database.db.selectFrom('logout_deliveries').select(['party']).orderBy('party').execute()
  t.same(notices.map((row) => row.party), ['insurance', 'retirement'], 'one notice per party, in the same transaction')
  t.equal(await app.logoutNotices.runOnce(), 1, 'retirement is told; insurance is down')
  t.same(retirement.state.received, [sessionId])
  t.same(insurance.state.received, [])
  insurance.state.up = true
  clock.advance(60)
  t.equal(await app.logoutNotices.runOnce(), 1, 'insurance is told once it is back')
  t.same(insurance.state.received, [sessionId])
  t.same(retirement.state.received, [sessionId], 'and retirement not twice')
})

t.test('a notice nobody could deliver is dropped once every access token of the session has expired', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const user = await loginAs(app, 'dora')
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.bearer, payload: {} })
  await app.logoutNotices.runOnce()
  clock.advance(900 + 30 + 1)
  const before = (await app.database.db.selectFrom('logout_deliveries').selectAll().executeTakeFirstOrThrow()).attempts
  await app.logoutNotices.runOnce()
  t.equal((await app.database.db.selectFrom('logout_deliveries').selectAll().executeTakeFirstOrThrow()).attempts, before, 'no more attempts')
})

t.test('GET /internal/revoked-sessions answers only a service token with the sessions:read scope', async (t) => {
  const { app, config } = await buildTestApp(t)
  const secret = config.JWT_SECRET ?? ''
  const user = await loginAs(app, 'edna')
  const before = Date.now()
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.bearer, payload: {} })
  t.equal((await app.inject({ url: '/internal/revoked-sessions?since=0', headers: user.bearer })).statusCode, 401, 'a user token is refused')
  const wrongScope = mintServiceToken('nestegg-retirement', { secret, scope: 'contributions' })
  t.equal((await app.inject({ url: '/internal/revoked-sessions?since=0', headers: { authorization: `Bearer ${wrongScope}` } })).statusCode, 401)
  const token = mintServiceToken('nestegg-retirement', { secret, scope: 'sessions:read' })
  const response = await app.inject({ url: `/internal/revoked-sessions?since=${before}`, headers: { authorization: `Bearer ${token}` } })
  t.equal(response.statusCode, 200)
  t.match(response.json(), [{ userId: user.id, sessionId: String }])
  const later = await app.inject({ url: `/internal/revoked-sessions?since=${Date.now() + 1000}`, headers: { authorization: `Bearer ${token}` } })
  t.same(later.json(), [])
})
