import t from 'tap'
import { alice, buildAuthApp } from './helper.js'
import { accessCookie, attackCases, controlToken, mintAccessToken, openTrap } from '../testing/index.js'

t.test('every attack is a clean 401 from authenticate, by header and by cookie', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const trap = await openTrap()
  t.teardown(() => trap.close())
  const control = await app.inject({ url: '/me', headers: { authorization: `Bearer ${controlToken(secret, alice)}` } })
  t.equal(control.statusCode, 200, 'the hand-built cases start from a token that is accepted')
  for (const attack of attackCases) {
    const token = attack.token(secret, alice, { target: 'retirement', trapUrl: trap.url })
    for (const carrier of ['bearer', 'cookie'] as const) {
      const headers = carrier === 'bearer' ? { authorization: `Bearer ${token}` } : { cookie: accessCookie(token) }
      const response = await app.inject({ url: '/me', headers })
      const allowed = attack.statuses ?? [401]
      t.ok(allowed.includes(response.statusCode), `${attack.name} [${attack.requirement}] via ${carrier}: ${response.statusCode}`)
      t.notMatch(response.body, /\bat .*\(.*:\d+:\d+\)|node_modules/, `${attack.name}: no stack trace`)
      if (response.statusCode === 401) {
        t.match(response.json(), { statusCode: 401, code: /^AUTH_/, error: 'Unauthorized' }, `${attack.name}: coded body`)
      }
    }
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype was polluted')
  t.same(trap.hits, [], 'no jku or x5u header made the service fetch anything')
  const still = await app.inject({ url: '/me', headers: { authorization: `Bearer ${mintAccessToken(alice, { secret })}` } })
  t.equal(still.statusCode, 200, 'the service keeps serving valid tokens after the corpus')
})

t.test('a token just inside the clock tolerance is accepted; just outside is refused', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const now = Math.floor(Date.now() / 1000)
  const slightlyAhead = mintAccessToken(alice, { secret, iat: now + 10 })
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${slightlyAhead}` } })).statusCode, 200)
  const farAhead = mintAccessToken(alice, { secret, iat: now + 120 })
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${farAhead}` } })).statusCode, 401)
  const justExpired = mintAccessToken(alice, { secret, iat: now - 620, ttlSeconds: 600 })
  t.equal((await app.inject({ url: '/me', headers: { authorization: `Bearer ${justExpired}` } })).statusCode, 200, 'within 30 s tolerance')
  const longExpired = mintAccessToken(alice, { secret, iat: now - 700, ttlSeconds: 600 })
  const expired = await app.inject({ url: '/me', headers: { authorization: `Bearer ${longExpired}` } })
  t.equal(expired.statusCode, 401)
  t.equal(expired.json().code, 'AUTH_TOKEN_EXPIRED')
})

t.test('a malformed Authorization header is a 401, not a missing credential', async (t) => {
  const { app } = await buildAuthApp(t)
  for (const value of ['Bearer', 'Bearer ', 'Basic YWxpY2U6cHc=', 'bearer\tabc', 'Bearer a b']) {
    const response = await app.inject({ url: '/me', headers: { authorization: value } })
    t.equal(response.statusCode, 401, JSON.stringify(value))
    t.equal(response.json().code, 'AUTH_TOKEN_INVALID')
  }
})
