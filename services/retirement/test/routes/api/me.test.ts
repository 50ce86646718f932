import { accessCookie, mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

t.test('GET /api/me answers the user from the bank-issued token, by header or cookie', async (t) => {
  const { app, secret, bearerFor } = await buildTestApp(t)
  const byHeader = await app.inject({ url: '/api/me', headers: bearerFor(alice) })
  t.equal(byHeader.statusCode, 200)
  t.same(byHeader.json(), { id: alice.id, username: alice.username, name: alice.name })
  const byCookie = await app.inject({ url: '/api/me', headers: { cookie: accessCookie(mintAccessToken(alice, { secret })) } })
  t.equal(byCookie.statusCode, 200)
  t.same(byCookie.json(), byHeader.json())
})

t.test('without a token, with another secret, or only for the bank audience: 401', async (t) => {
  const { app, secret } = await buildTestApp(t)
  t.equal((await app.inject({ url: '/api/me' })).statusCode, 401)
  const foreign = mintAccessToken(alice, { secret: randomSecret() })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${foreign}` } })).statusCode, 401)
  const bankOnly = mintAccessToken(alice, { secret, claims: { aud: 'nestegg-bank' } })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${bankOnly}` } })).statusCode, 401)
})

t.test('GET /api/plans is an empty list for a new user, and needs a token', async (t) => {
  const { app, bearerFor } = await buildTestApp(t)
  const response = await app.inject({ url: '/api/plans', headers: bearerFor(alice) })
  t.equal(response.statusCode, 200)
  t.same(response.json(), [])
  t.equal((await app.inject({ url: '/api/plans' })).statusCode, 401)
})
