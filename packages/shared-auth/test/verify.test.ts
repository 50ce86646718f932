import t from 'tap'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp } from './helper.js'
import { accessCookie, mintAccessToken, mintServiceToken } from '../testing/index.js'

t.test('a token the bank signs is accepted from the Bearer header and from the cookie', async (t) => {
  const { app: bank } = await buildAuthApp(t, { service: 'bank' })
  const login = await bank.inject({ method: 'POST', url: '/login' })
  t.equal(login.statusCode, 200)
  const { accessToken, expiresIn } = login.json()
  t.equal(expiresIn, 900)

  const { header, payload } = decodeJwtParts(accessToken)
  t.equal(header.alg, 'HS256')
  t.equal(header.typ, 'at+jwt')
  t.equal(payload.sub, alice.id)
  t.equal(payload.iss, 'nestegg-bank')
  t.same(payload.aud, ['nestegg-bank', 'nestegg-retirement'])
  t.equal(payload.exp - payload.iat, 900, 'lives exactly the configured lifetime')
  t.type(payload.jti, 'string')

  const viaHeader = await bank.inject({ url: '/me', headers: { authorization: `Bearer ${accessToken}` } })
  t.equal(viaHeader.statusCode, 200)
  t.equal(viaHeader.json().via, 'bearer')
  t.equal(viaHeader.json().user.username, 'alice')

  const viaCookie = await bank.inject({ url: '/me', headers: { cookie: accessCookie(accessToken) } })
  t.equal(viaCookie.statusCode, 200)
  t.equal(viaCookie.json().via, 'cookie')
})

t.test('the access cookie is HttpOnly, SameSite=Lax, Path=/ and lives as long as the token', async (t) => {
  const { app } = await buildAuthApp(t, { service: 'bank', ttl: 600 })
  const login = await app.inject({ method: 'POST', url: '/login' })
  const cookie = login.cookies.find((c) => c.name === 'nestegg_access')
  t.ok(cookie)
  t.equal(cookie?.httpOnly, true)
  t.equal(cookie?.sameSite, 'Lax')
  t.equal(cookie?.path, '/')
  t.equal(cookie?.maxAge, 600)
  t.notOk(cookie?.secure, 'not Secure for an http public URL')
})

t.test('a token signed by the bank is accepted at retirement with the same secret', async (t) => {
  const { app: bank, secret } = await buildAuthApp(t, { service: 'bank' })
  const { app: retirement } = await buildAuthApp(t, { service: 'retirement', secret })
  const { accessToken } = (await bank.inject({ method: 'POST', url: '/login' })).json()
  const response = await retirement.inject({ url: '/me', headers: { authorization: `Bearer ${accessToken}` } })
  t.equal(response.statusCode, 200)
  t.equal(response.json().user.id, alice.id)
})

t.test('only the bank signs user tokens: a relying party has no signer for them', async (t) => {
  const { app } = await buildAuthApp(t, { service: 'retirement' })
  t.notOk(app.hasDecorator('signAccessToken'))
  t.notOk(app.hasReplyDecorator('setAccessCookie'))
  t.ok(app.hasDecorator('signServiceToken'), 'it signs service tokens, to call the bank')
})

t.test('service tokens: accepted only where a service token is expected, with the scope', async (t) => {
  const { app: retirement, secret } = await buildAuthApp(t, { service: 'retirement' })
  const { app: bank } = await buildAuthApp(t, { service: 'bank', secret })
  const { token } = (await retirement.inject({ method: 'POST', url: '/mint-service' })).json()
  const { header, payload } = decodeJwtParts(token)
  t.equal(header.typ, 'nestegg-svc+jwt')
  t.equal(payload.iss, 'nestegg-retirement')
  t.equal(payload.aud, 'nestegg-bank')
  t.equal(payload.sub, alice.id)
  t.same(payload.act, { sub: 'nestegg-retirement' })
  t.ok(payload.exp - payload.iat <= 60, 'lives at most 60 seconds')

  const accepted = await bank.inject({ method: 'POST', url: '/internal', headers: { authorization: `Bearer ${token}` } })
  t.equal(accepted.statusCode, 200)
  t.same(accepted.json().userId, alice.id)

  const asUser = await bank.inject({ url: '/me', headers: { authorization: `Bearer ${token}` } })
  t.equal(asUser.statusCode, 401, 'a service token is not a user token')

  const { accessToken } = (await bank.inject({ method: 'POST', url: '/login' })).json()
  const userAtInternal = await bank.inject({ method: 'POST', url: '/internal', headers: { authorization: `Bearer ${accessToken}` } })
  t.equal(userAtInternal.statusCode, 401, 'a user token is not a service token')

  const otherScope = mintServiceToken(alice.id, { secret, scope: 'transfers' })
  const wrongScope = await bank.inject({ method: 'POST', url: '/internal', headers: { authorization: `Bearer ${otherScope}` } })
  t.equal(wrongScope.statusCode, 401)
  t.equal(wrongScope.json().code, 'AUTH_INSUFFICIENT_SCOPE')

  const longLived = mintServiceToken(alice.id, { secret, ttlSeconds: 3600 })
  const tooLong = await bank.inject({ method: 'POST', url: '/internal', headers: { authorization: `Bearer ${longLived}` } })
  t.equal(tooLong.statusCode, 401, 'a service token living over 60 s is refused')

  const viaCookie = await bank.inject({ method: 'POST', url: '/internal', headers: { cookie: accessCookie(token) } })
  t.equal(viaCookie.statusCode, 401, 'service tokens never ride in a cookie')

  const forRetirement = mintServiceToken(alice.id, { secret, claims: { aud: 'nestegg-retirement' } })
  const wrongAudience = await bank.inject({ method: 'POST', url: '/internal', headers: { authorization: `Bearer ${forRetirement}` } })
  t.equal(wrongAudience.statusCode, 401)
})

t.test('a Bearer header and a cookie that disagree are refused; that agree are accepted', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const one = mintAccessToken(alice, { secret })
  const other = mintAccessToken({ ...alice, id: 'user-mallory' }, { secret })
  const disagree = await app.inject({ url: '/me', headers: { authorization: `Bearer ${one}`, cookie: accessCookie(other) } })
  t.equal(disagree.statusCode, 401)
  t.equal(disagree.json().code, 'AUTH_TOKEN_AMBIGUOUS')
  const agree = await app.inject({ url: '/me', headers: { authorization: `Bearer ${one}`, cookie: accessCookie(one) } })
  t.equal(agree.statusCode, 200)
})

t.test('no credential at all is a 401 with the coded JSON body', async (t) => {
  const { app } = await buildAuthApp(t)
  const response = await app.inject({ url: '/me' })
  t.equal(response.statusCode, 401)
  t.same(response.json(), {
    statusCode: 401,
    code: 'AUTH_TOKEN_MISSING',
    error: 'Unauthorized',
    message: 'Authentication required'
  })
})
