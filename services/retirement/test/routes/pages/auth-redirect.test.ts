import { mintAccessToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

t.test('without a valid token every page goes through the bank\'s refresh endpoint with a return_to back here', async (t) => {
  const { app, secret } = await buildTestApp(t, { BANK_URL: 'http://bank.test:3000', RETIREMENT_URL: 'http://ret.test:3001' })
  const expired = mintAccessToken(alice, { secret, iat: Math.floor(Date.now() / 1000) - 3600, ttlSeconds: 60 })
  for (const url of ['/', '/plans/new', '/contribute?planId=abc', '/plans/abc?years=10']) {
    for (const cookie of [undefined, `nestegg_access=${expired}`, 'nestegg_access=garbage']) {
      const response = await app.inject({ url, headers: cookie ? { cookie } : {} })
      t.equal(response.statusCode, 302, `${url} ${cookie ? 'bad token' : 'no token'}`)
      // The bank renews the session there and sends the browser straight back, or asks it to log in.
      t.equal(response.headers.location, `http://bank.test:3000/api/auth/refresh?return_to=${encodeURIComponent(`http://ret.test:3001${url}`)}`)
    }
  }
  const post = await app.inject({ method: 'POST', url: '/contribute', payload: {} })
  t.equal(post.statusCode, 303, 'a form post comes back as a GET')
})

t.test('a valid token shows the page with the name from the token, escaped, and a link to the bank', async (t) => {
  const { app, secret } = await buildTestApp(t, { BANK_URL: 'http://bank.test:3000' })
  const token = mintAccessToken({ ...alice, name: 'Alice <script>alert(1)</script>' }, { secret })
  const response = await app.inject({ url: '/', headers: { cookie: `nestegg_access=${token}` } })
  t.equal(response.statusCode, 200)
  t.match(response.headers['content-type'], /text\/html/)
  t.match(response.body, '<span class="visually-hidden">Signed in as </span>Alice &lt;script&gt;alert(1)&lt;/script&gt;')
  t.notMatch(response.body, '<script>')
  t.match(response.body, 'href="http://bank.test:3000/"')
  t.match(response.headers['content-security-policy'], /default-src 'none'/)
  t.match(response.headers['content-security-policy'], /script-src 'none'/, 'pages run no script at all')
})

t.test('page errors are pages; API errors stay JSON', async (t) => {
  const { app, bearerFor } = await buildTestApp(t)
  const page = await app.inject({ url: '/plans/nope', headers: bearerFor(alice) })
  t.equal(page.statusCode, 404)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(page.body, 'Plan not found')
  // A wrong projection value is answered on the page, in a sentence, with the defaults drawn.
  const badQuery = await app.inject({ url: '/?years=500&monthly=100%20dollars', headers: bearerFor(alice) })
  t.equal(badQuery.statusCode, 200)
  t.match(badQuery.body, 'Years must be a whole number from 1 to 60.')
  t.match(badQuery.body, 'The monthly contribution must be an amount in dollars up to $100,000')
  t.notMatch(badQuery.body, /querystring|must match pattern|must be integer/)
  t.match(badQuery.body, 'value="100 dollars"', 'the form keeps what was typed')
  const api = await app.inject({ url: '/api/plans/nope', headers: bearerFor(alice) })
  t.equal(api.json().code, 'RET_PLAN_NOT_FOUND')
})

t.test('OpenAPI describes the API at /docs', async (t) => {
  const { app } = await buildTestApp(t)
  const spec = (await app.inject('/docs/json')).json()
  t.equal(spec.openapi, '3.1.0', 'the same version as the bank')
  t.ok(spec.paths['/api/csrf-token']?.get, 'GET /api/csrf-token is listed')
  t.same(spec.paths['/api/plans'].get.security, [{ bearerAuth: [] }, { cookieAuth: [] }], 'protected routes say so')
  t.notOk(spec.paths['/api/csrf-token'].get.security)
  t.notOk(spec.security, 'no blanket requirement: public routes stay public')
  t.same(Object.keys(spec.paths).filter((path) => !path.startsWith('/api/')), [], 'no page, no internal route')
  for (const path of ['/api/plans', '/api/plans/{id}', '/api/plans/{id}/projection', '/api/plans/{id}/contributions', '/api/contributions', '/api/contributions/{id}']) {
    t.ok(spec.paths[path], path)
  }
  t.notOk(spec.paths['/'], 'pages are not in the API description')
  t.equal((await app.inject('/docs')).statusCode < 400, true)
})
