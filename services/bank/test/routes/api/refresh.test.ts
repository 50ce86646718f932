import t from 'tap'
import { buildTestApp, login, loginAs, testClock } from '../../helper.js'

const refresh = (refreshToken: string) => ({ method: 'POST' as const, url: '/api/auth/refresh', payload: { refreshToken } })

t.test('login sets a refresh cookie that is HttpOnly, SameSite=Strict and scoped to the refresh endpoint', async (t) => {
  const { app } = await buildTestApp(t)
  const { response, refreshToken } = await loginAs(app, 'rita')
  const cookie = response.cookies.find((c) => c.name === 'nestegg_refresh')
  t.equal(cookie?.value, refreshToken)
  t.match(refreshToken, /^[A-Za-z0-9_-]{43}$/, '256 random bits')
  t.equal(cookie?.httpOnly, true)
  t.equal(cookie?.sameSite, 'Strict')
  t.equal(cookie?.path, '/api/auth/refresh')
  t.equal(cookie?.maxAge, 43200, 'lives as long as the session may')
  const row = await app.database.db.selectFrom('refresh_tokens').selectAll().executeTakeFirstOrThrow()
  t.not(row.token_hash, refreshToken, 'only a hash is stored')
  t.equal(JSON.parse(Buffer.from(response.json().accessToken.split('.')[1], 'base64url').toString()).sid, row.session_id, 'the access token carries the session id')
})

t.test('rotation: each refresh answers a new pair; a used token replayed after the grace window ends the session', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const first = await loginAs(app, 'sam')

  const renewed = await app.inject(refresh(first.refreshToken))
  t.equal(renewed.statusCode, 200)
  t.equal(first.response.headers['cache-control'], 'no-store', 'an answer with tokens is never kept by a cache: login')
  t.equal(renewed.headers['cache-control'], 'no-store', 'and refresh')
  const second = renewed.json()
  t.not(second.refreshToken, first.refreshToken, 'rotated')
  t.equal(renewed.cookies.find((c) => c.name === 'nestegg_refresh')?.value, second.refreshToken)
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${second.accessToken}` } })).statusCode, 200)

  clock.advance(60)
  const stolen = await app.inject(refresh(first.refreshToken))
  t.equal(stolen.statusCode, 401)
  t.equal(stolen.json().code, 'AUTH_REFRESH_REUSED')
  t.equal((await app.inject(refresh(second.refreshToken))).statusCode, 401, 'the legitimate holder is logged out too')
  const access = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${second.accessToken}` } })
  t.equal(access.statusCode, 401, 'and the access tokens of the session stop working at the bank')
  t.equal(access.json().code, 'AUTH_SESSION_REVOKED')
  const queued = await app.database.db.selectFrom('logout_deliveries').selectAll().execute()
  t.equal(queued.length, 1, 'retirement is told over the back channel')
})

t.test('a lost response: the just-used token presented again within the grace window gets the same successor', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const { refreshToken } = await loginAs(app, 'tess')
  const lost = await app.inject(refresh(refreshToken))
  t.equal(lost.statusCode, 200)
  const successor = lost.json().refreshToken
  clock.advance(3)
  const retried = await app.inject(refresh(refreshToken))
  t.equal(retried.statusCode, 200, 'within 10 s')
  t.equal(retried.json().refreshToken, successor, 'the same successor, not a second one')
  t.equal(retried.cookies.find((c) => c.name === 'nestegg_refresh')?.value, successor, 'in the cookie too')
  t.not(retried.json().accessToken, lost.json().accessToken, 'with a fresh access token')
  const stored = await app.database.db.selectFrom('refresh_tokens').selectAll().execute()
  t.equal(stored.length, 2, 'no third token was issued')
  t.notOk(JSON.stringify(stored).includes(successor), 'the successor is stored sealed, never as itself')
  clock.advance(11)
  const next = await app.inject(refresh(successor))
  t.equal(next.statusCode, 200, 'the successor still works after the window: it was never spent')
  const late = await app.inject(refresh(refreshToken))
  t.equal(late.statusCode, 401, 'the old token after the window is theft')
  t.equal(late.json().code, 'AUTH_REFRESH_REUSED')
})

// Issue 16, finding 10: replaying a just-rotated token within the window gave a second working chain.
t.test('a replay within the grace window never forks the session', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const { refreshToken: stolen } = await loginAs(app, 'fay')
  const user = (await app.inject(refresh(stolen))).json().refreshToken
  clock.advance(2)
  const thief = (await app.inject(refresh(stolen))).json().refreshToken
  t.equal(thief, user, 'the replay gets the token the user already holds: one chain')
  const userNext = await app.inject(refresh(user))
  t.equal(userNext.statusCode, 200, 'the user rotates on')
  clock.advance(2)
  const again = await app.inject(refresh(stolen))
  t.equal(again.statusCode, 401, 'a replay once the successor has moved on is theft, even within the window')
  t.equal(again.json().code, 'AUTH_REFRESH_REUSED')
  t.equal((await app.inject(refresh(userNext.json().refreshToken))).statusCode, 401, 'and the session is over for everyone')
  const parallel = await loginAs(app, 'gus')
  const answers = await Promise.all([1, 2, 3].map(() => app.inject(refresh(parallel.refreshToken))))
  t.same(answers.map((answer) => answer.statusCode), [200, 200, 200], 'three tabs renewing at once all succeed')
  t.equal(new Set(answers.map((answer) => answer.json().refreshToken)).size, 1, 'with one and the same successor')
})

t.test('unknown, malformed or missing refresh tokens are 401 and clear the cookies', async (t) => {
  const { app } = await buildTestApp(t)
  for (const payload of [{ refreshToken: 'A'.repeat(43) }, { refreshToken: 'nope' }, {}]) {
    const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload })
    t.equal(response.statusCode, 401, JSON.stringify(payload))
    t.equal(response.json().code, 'AUTH_REFRESH_INVALID')
  }
  const bad = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'x', extra: 1 } })
  t.equal(bad.statusCode, 400)
})

t.test('browser renewal: GET /api/auth/refresh rotates the cookie and goes back to return_to, or to the login page', async (t) => {
  const { app, config } = await buildTestApp(t, { RETIREMENT_URL: 'http://localhost:4101' })
  const { refreshToken } = await loginAs(app, 'uma')
  const cookies = { nestegg_refresh: refreshToken }
  const back = await app.inject({ url: '/api/auth/refresh?return_to=http%3A%2F%2Flocalhost%3A4101%2Fplans', cookies })
  t.equal(back.statusCode, 303)
  t.equal(back.headers.location, 'http://localhost:4101/plans', 'straight back to the retirement page')
  t.ok(back.cookies.find((c) => c.name === 'nestegg_access')?.value, 'a fresh access cookie')
  const next = back.cookies.find((c) => c.name === 'nestegg_refresh')?.value ?? ''

  const evil = await app.inject({ url: '/api/auth/refresh?return_to=https%3A%2F%2Fevil.example%2F', cookies: { nestegg_refresh: next } })
  t.equal(evil.headers.location, '/', 'no open redirect')
  const noCookie = await app.inject({ url: `/api/auth/refresh?return_to=${encodeURIComponent('/accounts')}` })
  t.equal(noCookie.statusCode, 303)
  t.equal(noCookie.headers.location, '/login?return_to=%2Faccounts')
  t.ok(config.BANK_URL)
})

t.test('an API client may also keep the refresh token in the cookie jar', async (t) => {
  const { app } = await buildTestApp(t)
  await loginAs(app, 'vera')
  const again = await login(app, 'vera')
  const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', cookies: { nestegg_refresh: again.refreshToken } })
  t.equal(response.statusCode, 200)
})

t.test('a session\'s last access token ends with the session, not a full lifetime later', async (t) => {
  const clock = testClock()
  // Sessions of 20 minutes, access tokens of 15: the second token may only live the 5 minutes left.
  const { app } = await buildTestApp(t, { SESSION_MAX_LIFETIME_SECONDS: '1200', SESSION_IDLE_TIMEOUT_SECONDS: '1200', ACCESS_TOKEN_TTL_SECONDS: '900' }, { clock: clock.now })
  const claims = (token: string) => {
    const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()))
    return { header, payload }
  }
  const first = await loginAs(app, 'tess')
  const { payload: full } = claims(first.token)
  t.equal(full.exp - full.iat, 900, 'a new session: the usual lifetime')
  t.equal(first.response.cookies.find((c) => c.name === 'nestegg_access')?.maxAge, 900)

  clock.advance(15 * 60)
  const renewed = await app.inject(refresh(first.refreshToken))
  t.equal(renewed.statusCode, 200)
  const { header, payload } = claims(renewed.json().accessToken)
  t.equal(payload.exp - payload.iat, 300, 'five minutes: when the session ends')
  t.equal(renewed.json().expiresIn, 300, 'and the answer says so')
  t.equal(renewed.cookies.find((c) => c.name === 'nestegg_access')?.maxAge, 300, 'the cookie goes with it')
  t.match(header, { typ: 'at+jwt', alg: 'HS256' }, 'still an access token')
  t.match(payload, { iss: 'nestegg-bank', aud: ['nestegg-bank', 'nestegg-retirement'], sid: full.sid })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${renewed.json().accessToken as string}` } })).statusCode, 200)
})
