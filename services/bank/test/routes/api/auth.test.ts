import { mintAccessToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { PASSWORD, buildTestApp, loginAs, signup } from '../../helper.js'

t.test('signup answers 201 with the user and never the password', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: 'carol', password: PASSWORD, name: 'Carol' } })
  t.equal(response.statusCode, 201)
  const body = response.json()
  t.same(Object.keys(body).sort(), ['id', 'name', 'username'])
  t.equal(body.username, 'carol')
  t.notMatch(response.body, /password|argon2/i)
})

t.test('a taken username is a 409', async (t) => {
  const { app } = await buildTestApp(t)
  await signup(app, 'dave')
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: 'dave', password: PASSWORD, name: 'Dave 2' } })
  t.equal(response.statusCode, 409)
  t.equal(response.json().code, 'BANK_USERNAME_TAKEN')
})

t.test('invalid usernames and weak passwords are 400 with a clear message', async (t) => {
  const { app } = await buildTestApp(t)
  const cases = [
    { payload: { username: 'x', password: PASSWORD, name: 'X' }, message: /username/ },
    { payload: { username: 'Has Spaces', password: PASSWORD, name: 'X' }, message: /username/ },
    { payload: { username: 'erin', password: 'short', name: 'Erin' }, message: /at least 12 characters/ },
    { payload: { username: 'erin', password: PASSWORD, name: '' }, message: /name/ },
    { payload: { username: 'erin', password: PASSWORD }, message: /name/ },
    { payload: { username: 'erin', password: PASSWORD, name: 'Erin', admin: true }, message: /additional/ }
  ]
  for (const { payload, message } of cases) {
    const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload })
    t.equal(response.statusCode, 400, JSON.stringify(payload))
    t.match(response.json().message, message)
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'erin', password: PASSWORD } })).statusCode, 401, 'nothing was created')
})

t.test('login answers a Bearer token and sets the access cookie', async (t) => {
  const { app } = await buildTestApp(t)
  const { response, bearer } = await loginAs(app, 'frank')
  const body = response.json()
  t.equal(body.tokenType, 'Bearer')
  t.equal(body.expiresIn, 900)
  const cookie = response.cookies.find((c) => c.name === 'nestegg_access')
  t.equal(cookie?.value, body.accessToken)
  t.equal(cookie?.httpOnly, true)
  t.equal(cookie?.sameSite, 'Lax')

  const me = await app.inject({ url: '/api/me', headers: bearer })
  t.equal(me.statusCode, 200)
  t.equal(me.json().username, 'frank')
  const viaCookie = await app.inject({ url: '/api/me', cookies: { nestegg_access: body.accessToken } })
  t.equal(viaCookie.statusCode, 200)
})

t.test('an unknown user and a wrong password get the same 401', async (t) => {
  const { app } = await buildTestApp(t)
  await signup(app, 'grace')
  const wrong = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'grace', password: 'not the password!' } })
  const unknown = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'not the password!' } })
  t.equal(wrong.statusCode, 401)
  t.equal(unknown.statusCode, 401)
  t.same(wrong.json(), unknown.json())
  t.notOk(wrong.cookies.some((c) => c.name === 'nestegg_access'))
})

t.test('logout answers 204 and clears the cookie', async (t) => {
  const { app } = await buildTestApp(t)
  const response = await app.inject({ method: 'POST', url: '/api/auth/logout', payload: {} })
  t.equal(response.statusCode, 204)
  const cleared = response.cookies.find((c) => c.name === 'nestegg_access')
  t.equal(cleared?.value, '')
  t.ok(cleared?.expires && cleared.expires.getTime() <= Date.now())
})

t.test('a valid token for a user who does not exist is a 401', async (t) => {
  const { app, config } = await buildTestApp(t)
  // Users are never deleted (their accounts and ledger entries refer to them): sign for an unknown id.
  const token = mintAccessToken({ id: 'no-such-user', username: 'heidi', name: 'Heidi' }, { secret: config.JWT_SECRET as string })
  const response = await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })
  t.equal(response.statusCode, 401)
})

t.test('demo users are seeded in development and never in production', async (t) => {
  const dev = await buildTestApp(t, { NODE_ENV: 'development', SEED_DEMO_USERS: 'true' })
  const login = await dev.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'nestegg-demo-password' } })
  t.equal(login.statusCode, 200)
  const prod = await buildTestApp(t, { NODE_ENV: 'production', SEED_DEMO_USERS: 'true' })
  const refused = await prod.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'nestegg-demo-password' } })
  t.equal(refused.statusCode, 401)
})
