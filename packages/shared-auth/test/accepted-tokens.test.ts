// The accepted-token cache: a token verified once is not verified again, but revocation is asked on
// every request and the token still ends at its expiry.
import t from 'tap'
import { alice, buildAuthApp } from './helper.js'
import { accessCookie, mintAccessToken } from '../testing/index.js'

t.test('a cached token is still refused once its session is revoked, and accepted again if it is not', async (t) => {
  const revoked = new Set<string>()
  const asked: string[] = []
  const { app, secret } = await buildAuthApp(t, {
    isSessionRevoked: (sessionId) => { asked.push(sessionId); return revoked.has(sessionId) }
  })
  const token = mintAccessToken(alice, { secret, claims: { sid: 'session-7' } })
  const me = async () => app.inject({ url: '/me', headers: { cookie: accessCookie(token) } })
  t.equal((await me()).statusCode, 200)
  t.equal((await me()).statusCode, 200, 'the second request is answered from the cache')
  revoked.add('session-7')
  const refused = await me()
  t.equal(refused.statusCode, 401)
  t.equal(refused.json().code, 'AUTH_SESSION_REVOKED', 'revocation is not cached')
  t.same(asked, ['session-7', 'session-7', 'session-7'], 'the deny-list is asked on every request')
})

t.test('a cached token ends at its expiry (plus the clock tolerance), not when the cache forgets it', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const token = mintAccessToken(alice, { secret, ttlSeconds: 5 })
  const me = async () => app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })
  t.equal((await me()).statusCode, 200, 'accepted and cached')
  const realNow = Date.now
  t.teardown(() => { Date.now = realNow })
  Date.now = () => realNow() + 20_000
  t.equal((await me()).statusCode, 200, '15 s after expiry, still inside the 30 s tolerance')
  Date.now = () => realNow() + 40_000
  const late = await me()
  t.equal(late.statusCode, 401)
  t.equal(late.json().code, 'AUTH_TOKEN_EXPIRED', 'past exp plus tolerance the cache no longer answers')
})

t.test('a refused token is never remembered as accepted', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const token = mintAccessToken(alice, { secret })
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const forged = `${header}.${payload}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`
  for (let attempt = 0; attempt < 2; attempt++) {
    const response = await app.inject({ url: '/me', headers: { authorization: `Bearer ${forged}` } })
    t.equal(response.statusCode, 401, `a bad signature is refused (attempt ${attempt + 1})`)
  }
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'while the genuine token passes')
})
