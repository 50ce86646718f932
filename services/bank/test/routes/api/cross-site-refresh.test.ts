import t from 'tap'
import { buildTestApp, loginAs } from '../../helper.js'

// Another site can make a browser request the refresh routes, but never with the SameSite=Strict
// refresh cookie: whatever it sends, nothing may be cleared, ended or rotated (issue 16, findings 1-2).
const EVIL = 'http://evil.test:8080'

t.test('a cross-site POST to /api/auth/refresh is refused and clears nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const { token, refreshToken } = await loginAs(app, 'xena')
  const forgeries = [
    { name: 'an empty form from another origin', headers: { origin: EVIL, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'cross-site' }, payload: '' },
    { name: 'text/plain with the access cookie', headers: { origin: EVIL, 'content-type': 'text/plain' }, payload: 'x=1', cookies: { nestegg_access: token } },
    { name: 'an opaque origin', headers: { origin: 'null', 'content-type': 'application/x-www-form-urlencoded' }, payload: '' },
    { name: 'Sec-Fetch-Site alone', headers: { 'sec-fetch-site': 'cross-site' }, payload: undefined },
    { name: 'the refresh token itself, from another origin', headers: { origin: EVIL, 'content-type': 'application/json' }, payload: JSON.stringify({ refreshToken }) }
  ]
  for (const forgery of forgeries) {
    const response = await app.inject({ method: 'POST', url: '/api/auth/refresh', ...forgery })
    t.equal(response.statusCode, 403, forgery.name)
    t.equal(response.json().code, 'CSRF_ORIGIN_MISMATCH', forgery.name)
    t.same(response.cookies, [], `${forgery.name}: no cookie set or cleared`)
  }
  const rows = await app.database.db.selectFrom('refresh_tokens').selectAll().execute()
  t.equal(rows.length, 1, 'no rotation happened')
  t.equal(rows[0]?.used_at, null)
  const same = await app.inject({ method: 'POST', url: '/api/auth/refresh', headers: { origin: 'http://localhost:3000', 'sec-fetch-site': 'same-origin' }, cookies: { nestegg_refresh: refreshToken } })
  t.equal(same.statusCode, 200, 'the session still renews from its own site')
})

t.test('a cross-site navigation to GET /api/auth/refresh gets a same-site relay page, never a logout', async (t) => {
  const { app } = await buildTestApp(t)
  await loginAs(app, 'yuri')
  const crossSite = { 'sec-fetch-site': 'cross-site', referer: `${EVIL}/mail` }
  const relay = await app.inject({ url: '/api/auth/refresh?return_to=%2Ftransfer', headers: crossSite })
  t.equal(relay.statusCode, 200)
  t.same(relay.cookies, [], 'no cookie set or cleared')
  t.match(relay.headers['content-type'], 'text/html')
  t.match(relay.headers['content-security-policy'], "script-src 'none'", 'no script: the page moves on by meta refresh')
  const next = '/api/auth/refresh?return_to=%2Ftransfer&amp;relayed=1'
  t.match(relay.body, `<meta http-equiv="refresh" content="0;url=${next}">`, 'to the same route on this origin')
  t.match(relay.body, `<a href="${next}">Continue</a>`, 'and a link for a browser that ignores meta refresh')

  const oldBrowser = await app.inject({ url: '/api/auth/refresh?return_to=%2F', headers: { referer: `${EVIL}/mail` } })
  t.equal(oldBrowser.statusCode, 200, 'a browser without Sec-Fetch-Site is judged by its Referer')

  const loop = await app.inject({ url: '/api/auth/refresh?return_to=%2Ftransfer&relayed=1', headers: crossSite })
  t.equal(loop.statusCode, 303, 'relayed once and still cross-site: no second relay')
  t.equal(loop.headers.location, '/login?return_to=%2Ftransfer')
  t.same(loop.cookies, [], 'and still nothing cleared')

  const hostile = await app.inject({ url: `/api/auth/refresh?return_to=${encodeURIComponent('https://evil.example/"><script>')}`, headers: crossSite })
  t.notMatch(hostile.body, 'evil.example', 'the relay only ever leads back to a checked return_to')

  const sameSite = await app.inject({ url: '/api/auth/refresh?return_to=%2Ftransfer', headers: { 'sec-fetch-site': 'same-origin' } })
  t.equal(sameSite.statusCode, 303, 'from its own site, no refresh cookie means no session')
  t.equal(sameSite.headers.location, '/login?return_to=%2Ftransfer')
  t.ok(sameSite.cookies.some((c) => c.name === 'nestegg_refresh' && c.value === ''), 'and the cookies are cleared')
})
