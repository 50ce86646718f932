import t from 'tap'
import Fastify from 'fastify'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp } from './helper.js'
import { ACR_PASSKEY, ACR_PASSWORD, acrSatisfies, checkStepUp, requireStepUp, stepUpChallenge, stepUpPageUrl } from '../src/index.js'
import { mintAccessToken, randomSecret } from '../testing/index.js'

const now = () => Math.floor(Date.now() / 1000)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const passkey = { acr: ACR_PASSKEY, amr: ['hwk', 'user'] }

t.test('levels: a passkey meets the password level, not the other way; an unknown level meets nothing', async (t) => {
  t.ok(acrSatisfies(ACR_PASSWORD, ACR_PASSWORD))
  t.ok(acrSatisfies(ACR_PASSKEY, ACR_PASSWORD))
  t.notOk(acrSatisfies(ACR_PASSWORD, ACR_PASSKEY))
  t.notOk(acrSatisfies('urn:other:high', ACR_PASSWORD))
})

t.test('the bank signs amr, acr and auth_time from the session, and request.user carries them', async (t) => {
  const { app: bank, secret } = await buildAuthApp(t, { service: 'bank' })
  const { app: retirement } = await buildAuthApp(t, { service: 'retirement', secret })
  const { accessToken } = (await bank.inject({ method: 'POST', url: '/login' })).json()
  const { payload } = decodeJwtParts(accessToken)
  t.same(payload.amr, ['pwd'])
  t.equal(payload.acr, 'nestegg:pwd')
  t.ok(payload.auth_time <= payload.iat && payload.auth_time >= now() - 5, 'auth_time is the sign-in moment')
  const me = (await retirement.inject({ url: '/me', headers: bearer(accessToken) })).json()
  t.same(me.user, { ...alice, amr: ['pwd'], acr: 'nestegg:pwd', authTime: payload.auth_time })
})

t.test('requireStepUp: a fresh password sign-in passes; a stale one gets the RFC 9470 challenge', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const fresh = mintAccessToken(alice, { secret, claims: { auth_time: now() - 299 } })
  t.equal((await app.inject({ url: '/fresh', headers: bearer(fresh) })).statusCode, 200)

  const stale = mintAccessToken(alice, { secret, claims: { auth_time: now() - 301 } })
  const refused = await app.inject({ url: '/fresh', headers: bearer(stale) })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['www-authenticate'],
    'Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is required", acr_values="nestegg:pwd", max_age=300')
  t.equal(refused.json().code, 'STEP_UP_REQUIRED')
})

t.test('requireStepUp: a password sign-in, however fresh, does not meet a passkey requirement', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const password = await app.inject({ url: '/strong', headers: bearer(mintAccessToken(alice, { secret })) })
  t.equal(password.statusCode, 401)
  t.match(password.headers['www-authenticate'], /acr_values="nestegg:passkey", max_age=60$/)
  const strong = await app.inject({ url: '/strong', headers: bearer(mintAccessToken(alice, { secret, claims: passkey })) })
  t.equal(strong.statusCode, 200)
  const stalePasskey = mintAccessToken(alice, { secret, claims: { ...passkey, auth_time: now() - 61 } })
  t.equal((await app.inject({ url: '/strong', headers: bearer(stalePasskey) })).statusCode, 401, 'a passkey sign-in grows stale too')
})

t.test('forged sign-in claims are refused as any bad token: 401 AUTH_TOKEN_INVALID, never a pass', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const genuine = mintAccessToken(alice, { secret })
  const [h, p, s] = genuine.split('.') as [string, string, string]
  const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), ...passkey })).toString('base64url')
  const forgeries = {
    'acr raised, signature kept': `${h}.${raised}.${s}`,
    'acr raised, signature dropped': `${h}.${raised}.`,
    'passkey token signed with a wrong key': mintAccessToken(alice, { secret: randomSecret(), claims: passkey }),
    'acr missing': mintAccessToken(alice, { secret, claims: { acr: undefined } }),
    'amr missing': mintAccessToken(alice, { secret, claims: { amr: undefined } }),
    'auth_time missing': mintAccessToken(alice, { secret, claims: { auth_time: undefined } }),
    'auth_time after iat': mintAccessToken(alice, { secret, claims: { auth_time: now() + 120 } })
  }
  for (const [name, token] of Object.entries(forgeries)) {
    const response = await app.inject({ url: '/strong', headers: bearer(token) })
    t.equal(response.statusCode, 401, name)
    t.equal(response.json().code, 'AUTH_TOKEN_INVALID', name)
  }
})

t.test('the guard needs an authenticated request; without one it is a 401, never a 500', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.decorateRequest('authSession', null)
  app.get('/x', { onRequest: [requireStepUp({ acr: ACR_PASSWORD, maxAgeSeconds: 60 })] }, async () => 'no')
  const response = await app.inject({ url: '/x' })
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'AUTH_TOKEN_MISSING')
  t.throws(() => requireStepUp({ acr: ACR_PASSWORD, maxAgeSeconds: -1 }), TypeError)
  t.throws(() => checkStepUp({ authSession: null } as never, { acr: ACR_PASSWORD, maxAgeSeconds: 60 }), { code: 'AUTH_TOKEN_MISSING' })
})

t.test('the challenge and the step-up page URL say the same level and age', async (t) => {
  const requirement = { acr: ACR_PASSKEY, maxAgeSeconds: 120 } as const
  t.match(stepUpChallenge(requirement), /acr_values="nestegg:passkey", max_age=120/)
  const url = new URL(stepUpPageUrl('http://bank.test/', requirement, 'http://ret.test/contribute?amount=5'))
  t.equal(url.pathname, '/step-up')
  t.equal(url.searchParams.get('acr'), 'nestegg:passkey')
  t.equal(url.searchParams.get('max_age'), '120')
  t.equal(url.searchParams.get('return_to'), 'http://ret.test/contribute?amount=5')
})
