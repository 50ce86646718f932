import t from 'tap'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp } from './helper.js'
import { accessCookie, mintAccessToken, mintLogoutToken } from '../src/testing.js'

t.test('the bank signs a logout token that retirement verifies; it is no access token', async (t) => {
  const { app: bank, secret } = await buildAuthApp(t, { service: 'bank' })
  const { app: retirement } = await buildAuthApp(t, { service: 'retirement', secret })
  const { token } = (await bank.inject({ method: 'POST', url: '/logout-token' })).json()
  const { header, payload } = decodeJwtParts(token)
  t.equal(header.typ, 'logout+jwt')
  t.equal(payload.aud, 'nestegg-retirement')
  t.equal(payload.sid, 'session-1')
  t.same(payload.events, { 'http://schemas.openid.net/event/backchannel-logout': {} })
  t.notOk('nonce' in payload)

  const verified = await retirement.inject({ method: 'POST', url: '/backchannel', payload: { token } })
  t.equal(verified.statusCode, 200)
  t.match(verified.json(), { sessionId: 'session-1', userId: alice.id })

  t.equal((await retirement.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401, 'not an access token')
  const access = mintAccessToken(alice, { secret })
  const asLogout = await retirement.inject({ method: 'POST', url: '/backchannel', payload: { token: access } })
  t.equal(asLogout.statusCode, 401, 'an access token is not a logout token')
})

t.test('logout tokens that are wrong in any way are a 401', async (t) => {
  const { app, secret } = await buildAuthApp(t, { service: 'retirement' })
  const session = { sessionId: 's1', userId: alice.id }
  const cases = {
    'for the bank audience': mintLogoutToken(session, { secret, claims: { aud: 'nestegg-bank' } }),
    'without the event': mintLogoutToken(session, { secret, claims: { events: undefined } }),
    'without a sid': mintLogoutToken(session, { secret, claims: { sid: undefined } }),
    'with a nonce': mintLogoutToken(session, { secret, claims: { nonce: 'n' } }),
    'from another issuer': mintLogoutToken(session, { secret, claims: { iss: 'nestegg-retirement' } }),
    expired: mintLogoutToken(session, { secret, iat: Math.floor(Date.now() / 1000) - 3600 }),
    'typed as an access token': mintLogoutToken(session, { secret, header: { typ: 'at+jwt' } }),
    garbage: 'not.a.token'
  }
  for (const [name, token] of Object.entries(cases)) {
    const response = await app.inject({ method: 'POST', url: '/backchannel', payload: { token } })
    t.equal(response.statusCode, 401, name)
  }
})

t.test('a revoked session is refused even with a genuine, unexpired token', async (t) => {
  const revoked = new Set<string>()
  const { app, secret } = await buildAuthApp(t, { auth: { isSessionRevoked: (sid) => revoked.has(sid) } })
  const token = mintAccessToken(alice, { secret, claims: { sid: 'sess-9' } })
  t.equal((await app.inject({ url: '/me', headers: { cookie: accessCookie(token) } })).statusCode, 200)
  revoked.add('sess-9')
  const refused = await app.inject({ url: '/me', headers: { cookie: accessCookie(token) } })
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'AUTH_SESSION_REVOKED')
  const otherSession = mintAccessToken(alice, { secret, claims: { sid: 'sess-10' } })
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${otherSession}` } })).statusCode, 200)
})
