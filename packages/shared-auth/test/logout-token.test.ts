import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp } from './helper.js'
import type { LogoutNoticeRow, LogoutOutboxStore } from '../src/index.js'
import { accessCookie, mintAccessToken, mintLogoutToken } from '../testing/index.js'

const BACKCHANNEL = '/internal/backchannel-logout'

/** A party's back-channel route that only records what it is sent. */
async function captureParty (t: Test, received: string[] = []) {
  const capture = Fastify()
  capture.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })
  capture.post(BACKCHANNEL, async (request) => { received.push((request.body as { logout_token: string }).logout_token); return {} })
  const url = await capture.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => capture.close())
  return url
}

/** An outbox in memory holding the given notices, recording what became of each. */
function memoryOutbox (rows: LogoutNoticeRow[]) {
  const delivered: string[] = []
  const retried: string[] = []
  const store: LogoutOutboxStore = {
    due: async () => rows.filter((row) => !delivered.includes(row.id)),
    delivered: async (id) => { delivered.push(id) },
    retryAt: async (id) => { retried.push(id) }
  }
  return { store, delivered, retried }
}

t.test('the issuer sends each party a logout token for its audience; the party ends the session', async (t) => {
  const received: string[] = []
  const captureUrl = await captureParty(t, received)

  const outbox = memoryOutbox([{ id: 'n1', sessionId: 'session-1', userId: alice.id, party: 'retirement', attempts: 0 }])
  const { app: bank, secret } = await buildAuthApp(t, { service: 'bank', parties: [{ name: 'retirement', url: captureUrl }], logoutOutbox: outbox.store })
  t.equal(await bank.logoutNotices.runOnce(), 1)
  t.same(outbox.delivered, ['n1'])
  const token = received[0] ?? ''
  const { header, payload } = decodeJwtParts(token)
  t.equal(header.typ, 'logout+jwt')
  t.equal(payload.aud, 'nestegg-retirement')
  t.equal(payload.sid, 'session-1')
  t.same(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} })
  t.notOk('nonce' in payload)

  const { app: retirement } = await buildAuthApp(t, { service: 'retirement', secret })
  const access = mintAccessToken(alice, { secret, claims: { sid: 'session-1' } })
  t.equal((await retirement.inject({ url: '/me', headers: { cookie: accessCookie(access) } })).statusCode, 200)
  const posted = await retirement.inject({ method: 'POST', url: BACKCHANNEL, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ logout_token: token }).toString() })
  t.equal(posted.statusCode, 200)
  const refused = await retirement.inject({ url: '/me', headers: { cookie: accessCookie(access) } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'AUTH_SESSION_REVOKED')

  t.equal((await retirement.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'not an access token')
  const asLogout = await retirement.inject({ method: 'POST', url: BACKCHANNEL, payload: { logout_token: access } })
  t.equal(asLogout.statusCode, 401, 'an access token is not a logout token')
})

t.test('a party that cannot be reached keeps its notice for a retry; the others get theirs', async (t) => {
  const captureUrl = await captureParty(t)
  const outbox = memoryOutbox([
    { id: 'up', sessionId: 's1', userId: alice.id, party: 'retirement', attempts: 0 },
    { id: 'down', sessionId: 's1', userId: alice.id, party: 'insurance', attempts: 0 }
  ])
  const { app: bank } = await buildAuthApp(t, {
    service: 'bank',
    parties: [{ name: 'retirement', url: captureUrl }, { name: 'insurance', url: 'http://127.0.0.1:9' }],
    logoutOutbox: outbox.store
  })
  t.equal(await bank.logoutNotices.runOnce(), 1)
  t.same(outbox.delivered, ['up'])
  t.same(outbox.retried, ['down'])
})

t.test('logout tokens that are wrong in any way are a 401', async (t) => {
  const { app, secret } = await buildAuthApp(t, { service: 'retirement' })
  const session = { sessionId: 's1', userId: alice.id }
  const cases = {
    'for the bank audience': mintLogoutToken(session, { secret, claims: { aud: 'nestegg-bank' } }),
    'for another party': mintLogoutToken(session, { secret, claims: { aud: 'nestegg-insurance' } }),
    'without the event': mintLogoutToken(session, { secret, claims: { events: undefined } }),
    'without a sid': mintLogoutToken(session, { secret, claims: { sid: undefined } }),
    'with a nonce': mintLogoutToken(session, { secret, claims: { nonce: 'n' } }),
    'from another issuer': mintLogoutToken(session, { secret, claims: { iss: 'nestegg-retirement' } }),
    expired: mintLogoutToken(session, { secret, iat: Math.floor(Date.now() / 1000) - 3600 }),
    'typed as an access token': mintLogoutToken(session, { secret, header: { typ: 'at+jwt' } }),
    garbage: 'not.a.token'
  }
  for (const [name, token] of Object.entries(cases)) {
    const response = await app.inject({ method: 'POST', url: BACKCHANNEL, payload: { logout_token: token } })
    t.equal(response.statusCode, 401, name)
  }
})

t.test('a revoked session is refused even with a genuine, unexpired token', async (t) => {
  const revoked = new Set<string>()
  const { app, secret } = await buildAuthApp(t, { isSessionRevoked: (sid) => revoked.has(sid) })
  const token = mintAccessToken(alice, { secret, claims: { sid: 'sess-9' } })
  t.equal((await app.inject({ url: '/me', headers: { cookie: accessCookie(token) } })).statusCode, 200)
  revoked.add('sess-9')
  const refused = await app.inject({ url: '/me', headers: { cookie: accessCookie(token) } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'AUTH_SESSION_REVOKED')
  const otherSession = mintAccessToken(alice, { secret, claims: { sid: 'sess-10' } })
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${otherSession}` } })).statusCode, 200)
})
