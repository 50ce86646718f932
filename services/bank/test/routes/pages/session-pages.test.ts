import t from 'tap'
import { PASSWORD, buildTestApp, signup } from '../../helper.js'
import { pageClient } from '../../page-client.js'

const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }
const SAFARI = { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1' }

async function logIn (browser: ReturnType<typeof pageClient>, username: string, headers: Record<string, string>) {
  await browser.get('/login')
  const response = await browser.post('/login', { username, password: PASSWORD, return_to: '/' }, headers)
  if (response.statusCode !== 303) throw new Error(`login ${response.statusCode}`)
}

t.test('a page with an expired access token is renewed on load through the refresh endpoint, no password asked', async (t) => {
  const { app } = await buildTestApp(t)
  await signup(app, 'rory')
  const browser = pageClient(app)
  await logIn(browser, 'rory', FIREFOX)
  browser.jar.delete('nestegg_access') // what the browser does when the cookie's Max-Age runs out
  const page = await browser.get('/transfer')
  t.equal(page.statusCode, 302)
  t.equal(page.headers.location, '/api/auth/refresh?return_to=%2Ftransfer')
  const renewed = await browser.get(page.headers.location as string)
  t.equal(renewed.statusCode, 303)
  t.equal(renewed.headers.location, '/transfer', 'straight back')
  t.equal((await browser.get('/transfer')).statusCode, 200, 'with a fresh access cookie')
})

t.test('the sessions page lists where the user is logged in, and logs any one, or all, out', async (t) => {
  const { app } = await buildTestApp(t)
  await signup(app, 'sally')
  const laptop = pageClient(app)
  const phone = pageClient(app)
  await logIn(laptop, 'sally', FIREFOX)
  await logIn(phone, 'sally', SAFARI)

  const page = await laptop.get('/sessions')
  t.equal(page.statusCode, 200)
  t.match(page.body, /Firefox on Linux <strong>\(this browser\)<\/strong>/)
  t.match(page.body, 'Safari on iOS')
  t.match(page.body, '<a href="/sessions" aria-current="page">Sessions</a>', 'linked from the navigation, marked as the current page')
  t.match(page.body, /<td data-label="Logged in"><time datetime=/, 'on a phone each date keeps its heading')
  t.match(page.body, '<button type="submit" class="button-danger">Log out of all sessions</button>', 'logging out everywhere looks like what it is')

  const phoneSession = await app.database.db.selectFrom('sessions').select('id').where('user_agent', 'like', '%iPhone%').executeTakeFirstOrThrow()
  const ended = await laptop.post(`/sessions/${phoneSession.id}/logout`, {})
  t.equal(ended.statusCode, 303)
  t.equal(ended.headers.location, '/sessions')
  t.notMatch((await laptop.get('/sessions')).body, 'Safari on iOS')
  const phoneHome = await phone.get('/')
  t.equal(phoneHome.statusCode, 302, 'the phone is logged out')
  t.equal((await phone.get(phoneHome.headers.location as string)).headers.location, '/login?return_to=%2F', 'and its renewal ends at the login page')

  const forged = await laptop.post('/sessions/logout-all', {}, { origin: 'https://evil.example' })
  t.equal(forged.statusCode, 403, 'a cross-site form cannot log anyone out')
  const all = await laptop.post('/sessions/logout-all', {})
  t.equal(all.statusCode, 303)
  t.equal(all.headers.location, '/login?logged_out=1')
  t.equal((await laptop.get('/')).statusCode, 302)
  t.equal((await app.database.db.selectFrom('sessions').selectAll().where('revoked_at', 'is', null).execute()).length, 0)
})
