import t from 'tap'
import { PASSWORD, buildTestApp, loginAs, signup } from '../../helper.js'
import { pageClient } from '../../page-client.js'

// SQLite stores a NUL character; PostgreSQL cannot hold one in a query (22021). Either way such input
// is a client's mistake: a 4xx, the same on both engines (`npm run test:postgres` runs this file there
// too), and nothing written.
t.test('text with a NUL or another control character is refused, never a 500', async (t) => {
  const { app } = await buildTestApp(t)
  const ann = await loginAs(app, 'ann')
  const throttleRows = async () => (await app.database.db.selectFrom('login_throttle').select('username').execute()).length

  t.test('a login name with a NUL is an unknown user, and no backoff row is written for it', async (t) => {
    const before = await throttleRows()
    for (const username of ['an\u0000n', '\u0000', 'ann\u0007']) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } })
      t.equal(response.statusCode, 401, JSON.stringify(username))
      t.equal(response.json().code, 'BANK_INVALID_CREDENTIALS')
    }
    t.equal(await throttleRows(), before)
  })

  t.test('the same on the log-in page', async (t) => {
    const browser = pageClient(app)
    await browser.get('/login')
    const response = await browser.post('/login', { username: 'an\u0000n', password: PASSWORD })
    t.equal(response.statusCode, 401)
    t.match(response.body, /Invalid username or password/)
    t.notOk(browser.jar.get('nestegg_access'), 'not logged in')
  })

  t.test('a session id that is not one: 400, and the sessions are untouched', async (t) => {
    for (const id of ['ab%00cd', 'not%20a%20session', '%E2%80%AE']) {
      const response = await app.inject({ method: 'DELETE', url: `/api/sessions/${id}`, headers: ann.bearer })
      t.equal(response.statusCode, 400, id)
      t.equal(response.json().code, 'FST_ERR_VALIDATION')
    }
    const sessions = await app.inject({ url: '/api/sessions', headers: ann.bearer })
    t.equal(sessions.json().length, 1, 'the session is still there')
    t.equal((await app.inject({ url: '/api/me', headers: ann.bearer })).statusCode, 200)
  })

  t.test('a blank name is refused at signup, and the username stays free', async (t) => {
    for (const name of ['   ', '\t', '']) {
      const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: 'blanky', password: PASSWORD, name } })
      t.equal(response.statusCode, 400, JSON.stringify(name))
    }
    await t.rejects(app.users.signup({ username: 'blanky', password: PASSWORD, name: '  \u3000 ' }), { code: 'BANK_INVALID_NAME', statusCode: 400 },
      'the service refuses it too, whatever the route')
    t.match(await signup(app, 'blanky', '  Blanche  '), { id: String, username: 'blanky', name: 'Blanche' }, 'stored trimmed')
  })
})
