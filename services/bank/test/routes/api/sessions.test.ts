import t from 'tap'
import { PASSWORD, buildTestApp, login, loginAs } from '../../helper.js'

const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }
const SAFARI = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1' }

t.test('sessions: listed with browser, created and last used; one can be ended, and its tokens stop working', async (t) => {
  const { app } = await buildTestApp(t)
  await loginAs(app, 'yara')
  const laptop = await login(app, 'yara', FIREFOX)
  const phone = await login(app, 'yara', SAFARI)

  const listed = await app.inject({ url: '/api/sessions', headers: laptop.bearer })
  t.equal(listed.statusCode, 200)
  const sessions = listed.json() as Array<{ id: string, browser: string, createdAt: string, lastUsedAt: string, current: boolean }>
  t.equal(sessions.length, 3)
  t.same(sessions.filter((s) => s.current).map((s) => s.browser), ['Firefox on Linux'])
  t.ok(sessions.some((s) => s.browser === 'Safari on iOS'))
  t.match(sessions[0], { createdAt: /^\d{4}-\d\d-\d\dT/, lastUsedAt: /^\d{4}-\d\d-\d\dT/ })

  const phoneId = sessions.find((s) => s.browser === 'Safari on iOS')!.id
  t.equal((await app.inject({ method: 'DELETE', url: `/api/sessions/${phoneId}`, headers: laptop.bearer })).statusCode, 204)
  t.equal((await app.inject({ url: '/api/me', headers: phone.bearer })).statusCode, 401, 'the phone is logged out')
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: phone.refreshToken } })).statusCode, 401)
  t.equal((await app.inject({ url: '/api/me', headers: laptop.bearer })).statusCode, 200, 'the laptop is not')
  t.equal((await app.inject({ url: '/api/sessions', headers: laptop.bearer })).json().length, 2)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/sessions/${phoneId}`, headers: laptop.bearer })).statusCode, 404, 'already ended')
  const queued = await app.database.db.selectFrom('logout_deliveries').select('session_id').execute()
  t.same(queued.map((row) => row.session_id), [phoneId])
})

t.test("someone else's session is a 404, and cannot be ended", async (t) => {
  const { app } = await buildTestApp(t)
  const zoe = await loginAs(app, 'zoe')
  const mallory = await loginAs(app, 'mallory')
  const [zoeSession] = (await app.inject({ url: '/api/sessions', headers: zoe.bearer })).json()
  t.equal((await app.inject({ method: 'DELETE', url: `/api/sessions/${zoeSession.id}`, headers: mallory.bearer })).statusCode, 404)
  t.equal((await app.inject({ url: '/api/me', headers: zoe.bearer })).statusCode, 200)
})

t.test('logout ends the session even with an expired-looking request; log out of all ends every one', async (t) => {
  const { app } = await buildTestApp(t)
  const one = await loginAs(app, 'abby')
  const two = await login(app, 'abby')
  const three = await login(app, 'abby')
  const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: one.bearer, payload: {} })
  t.equal(out.statusCode, 204)
  t.equal(out.cookies.find((c) => c.name === 'nestegg_refresh')?.path, '/api/auth/refresh', 'the refresh cookie is cleared on its own path')
  t.equal((await app.inject({ url: '/api/me', headers: one.bearer })).statusCode, 401)
  t.equal((await app.inject({ url: '/api/me', headers: two.bearer })).statusCode, 200)

  t.equal((await app.inject({ method: 'POST', url: '/api/auth/logout-all', headers: two.bearer })).statusCode, 204)
  for (const session of [two, three]) {
    t.equal((await app.inject({ url: '/api/me', headers: session.bearer })).statusCode, 401)
    t.equal((await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: session.refreshToken } })).statusCode, 401)
  }
  t.equal((await app.database.db.selectFrom('logout_deliveries').selectAll().execute()).length, 3, 'retirement is told about each')
})

t.test('a password change ends every session and starts a new one for the caller', async (t) => {
  const { app } = await buildTestApp(t)
  const here = await loginAs(app, 'bea')
  const elsewhere = await login(app, 'bea')
  const wrong = await app.inject({ method: 'POST', url: '/api/auth/password', headers: here.bearer, payload: { currentPassword: 'not it at all', newPassword: 'a brand new passphrase' } })
  t.equal(wrong.statusCode, 403)
  t.equal((await app.inject({ url: '/api/me', headers: elsewhere.bearer })).statusCode, 200, 'a wrong current password changes nothing')

  const changed = await app.inject({ method: 'POST', url: '/api/auth/password', headers: here.bearer, payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase' } })
  t.equal(changed.statusCode, 200)
  t.equal((await app.inject({ url: '/api/me', headers: elsewhere.bearer })).statusCode, 401, 'the other session ended')
  t.equal((await app.inject({ url: '/api/me', headers: here.bearer })).statusCode, 401, 'so did the old token of this one')
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${changed.json().accessToken}` } })).statusCode, 200, 'the caller carries on')
  const relogin = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'bea', password: 'a brand new passphrase' } })
  t.equal(relogin.statusCode, 200)
})
