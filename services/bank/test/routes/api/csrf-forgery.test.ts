import t from 'tap'
import { PASSWORD, buildTestApp, loginAs, signup } from '../../helper.js'

// What a page on another site can make a browser send: the victim's cookies ride along, the Origin
// header names the attacker, and no CSRF token can be read cross-site.
const EVIL = 'https://evil.example'

t.test('a cross-site JSON post carrying only the cookie writes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim')
  const cookies = { nestegg_access: victim.token }

  const forgedSignup = await app.inject({
    method: 'POST', url: '/api/auth/signup', cookies, headers: { origin: EVIL },
    payload: { username: 'planted', password: PASSWORD, name: 'Planted' }
  })
  t.equal(forgedSignup.statusCode, 403)
  t.equal(forgedSignup.json().code, 'CSRF_ORIGIN_MISMATCH')
  t.equal(await app.users.findByUsername('planted'), undefined, 'no user was created')

  const forgedLogout = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { origin: EVIL }, payload: {} })
  t.equal(forgedLogout.statusCode, 403)
  t.equal(forgedLogout.headers['set-cookie'], undefined, 'the session cookie was not touched')
  t.equal((await app.inject({ url: '/api/me', cookies })).statusCode, 200, 'the victim is still signed in')
})

t.test('login CSRF: a cross-site post cannot sign the victim into the attacker account', async (t) => {
  const { app } = await buildTestApp(t)
  await signup(app, 'attacker')
  for (const [type, payload] of [
    ['application/json', JSON.stringify({ username: 'attacker', password: PASSWORD })],
    ['application/x-www-form-urlencoded', new URLSearchParams({ username: 'attacker', password: PASSWORD }).toString()]
  ] as const) {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', headers: { origin: EVIL, 'content-type': type }, payload })
    t.equal(response.statusCode, 403, type)
    t.equal(response.headers['set-cookie'], undefined, `${type}: no cookie was set`)
  }
})

t.test('cross-site posts a form can send without a preflight are refused and write nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim2')
  const cookies = { nestegg_access: victim.token }
  const attempts = [
    { name: 'urlencoded form', type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ username: 'planted_form', password: PASSWORD, name: 'P' }).toString(), headers: { origin: EVIL } },
    { name: 'form posting JSON as text/plain', type: 'text/plain', body: JSON.stringify({ username: 'planted_text', password: PASSWORD, name: 'P' }), headers: { origin: EVIL } },
    { name: 'urlencoded form with no Origin nor Referer', type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ username: 'planted_bare', password: PASSWORD, name: 'P' }).toString(), headers: {} },
    { name: 'urlencoded form with a cross-site Referer', type: 'application/x-www-form-urlencoded', body: new URLSearchParams({ username: 'planted_ref', password: PASSWORD, name: 'P' }).toString(), headers: { referer: `${EVIL}/page` } }
  ]
  for (const attempt of attempts) {
    const response = await app.inject({
      method: 'POST', url: '/api/auth/signup', cookies, payload: attempt.body,
      headers: { ...attempt.headers, 'content-type': attempt.type }
    })
    t.ok([400, 403, 415].includes(response.statusCode), `${attempt.name}: ${response.statusCode}`)
  }
  for (const username of ['planted_form', 'planted_text', 'planted_bare', 'planted_ref']) {
    t.equal(await app.users.findByUsername(username), undefined, `${username} was not created`)
  }
})

t.test('control: the same requests from the bank\'s own origin with a CSRF token succeed', async (t) => {
  const { app, config } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim3')
  const csrf = await app.inject({ url: '/api/csrf-token', cookies: { nestegg_access: victim.token } })
  const csrfCookie = csrf.cookies.find((cookie) => cookie.name === 'nestegg_bank_csrf')
  const form = await app.inject({
    method: 'POST', url: '/api/auth/signup',
    cookies: { nestegg_access: victim.token, nestegg_bank_csrf: csrfCookie?.value ?? '' },
    headers: { origin: new URL(config.BANK_URL).origin, 'x-csrf-token': csrf.json().csrfToken, 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ username: 'made_here', password: PASSWORD, name: 'Made Here' }).toString()
  })
  t.equal(form.statusCode, 201, 'a same-origin form with the token is accepted')
  t.ok(await app.users.findByUsername('made_here'))
})

t.test('a cookie request from the bank\'s own origin with a wrong or no CSRF token is refused as CSRF_TOKEN_INVALID', async (t) => {
  const { app, config } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim4')
  const csrf = await app.inject({ url: '/api/csrf-token', cookies: { nestegg_access: victim.token } })
  const csrfCookie = csrf.cookies.find((cookie) => cookie.name === 'nestegg_bank_csrf')
  t.ok(csrfCookie, 'the CSRF cookie was issued, so "a wrong token" and "no token" send a real one')
  const attempts: Array<{ name: string, cookies: Record<string, string>, token: string | undefined }> = [
    { name: 'a wrong token', cookies: { nestegg_bank_csrf: csrfCookie?.value ?? '' }, token: 'not-the-token' },
    { name: 'no token', cookies: { nestegg_bank_csrf: csrfCookie?.value ?? '' }, token: undefined },
    { name: 'a token but no CSRF cookie', cookies: {}, token: csrf.json().csrfToken as string }
  ]
  for (const attempt of attempts) {
    const response = await app.inject({
      method: 'POST', url: '/api/auth/signup',
      cookies: { nestegg_access: victim.token, ...attempt.cookies },
      headers: {
        origin: new URL(config.BANK_URL).origin,
        'content-type': 'application/x-www-form-urlencoded',
        ...(attempt.token !== undefined ? { 'x-csrf-token': attempt.token } : {})
      },
      payload: new URLSearchParams({ username: 'not_made', password: PASSWORD, name: 'Not Made' }).toString()
    })
    t.equal(response.statusCode, 403, attempt.name)
    t.equal(response.json().code, 'CSRF_TOKEN_INVALID', attempt.name)
  }
  t.equal(await app.users.findByUsername('not_made'), undefined)
})

t.test('logging out with the cookie is a cookie-authenticated state change: it needs the origin and the CSRF token', async (t) => {
  const { app, config } = await buildTestApp(t)
  const victim = await loginAs(app, 'victim5')
  const cookies = { nestegg_access: victim.token }
  const bare = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, payload: {} })
  t.equal(bare.statusCode, 403, 'JSON with only the cookie, no Origin and no token')
  t.equal(bare.json().code, 'CSRF_ORIGIN_MISMATCH')
  const noToken = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies, headers: { origin: new URL(config.BANK_URL).origin }, payload: {} })
  t.equal(noToken.statusCode, 403, 'same origin, no token')
  t.equal(noToken.json().code, 'CSRF_TOKEN_INVALID')
  t.equal((await app.inject({ url: '/api/me', cookies })).statusCode, 200, 'the session survived both')

  const csrf = await app.inject({ url: '/api/csrf-token', cookies })
  const csrfCookie = csrf.cookies.find((cookie) => cookie.name === 'nestegg_bank_csrf')?.value ?? ''
  const done = await app.inject({
    method: 'POST', url: '/api/auth/logout', cookies: { ...cookies, nestegg_bank_csrf: csrfCookie },
    headers: { origin: new URL(config.BANK_URL).origin, 'x-csrf-token': csrf.json().csrfToken }, payload: {}
  })
  t.equal(done.statusCode, 204, 'with both, the session ends')
  t.equal((await app.inject({ url: '/api/me', cookies })).statusCode, 401)
  const stale = await app.inject({ method: 'POST', url: '/api/auth/logout', cookies: { nestegg_access: 'not-a-token' }, payload: {} })
  t.equal(stale.statusCode, 204, 'a cookie that names no session ends nothing, so it needs nothing: the cookies are cleared')
})
