import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp, keysFile } from './helper.js'
import { KeySet, createJwksClient, ed25519KeyFromJwk, generateEd25519Jwk } from '../src/index.js'
import { signRaw, signWithKey } from '../testing/index.js'

/** Ed25519 private JWKs, and the key set they make. */
function edKeys (...kids: string[]) {
  const jwks = kids.map((kid) => generateEd25519Jwk(kid))
  return Object.assign(new KeySet(jwks.map(ed25519KeyFromJwk)), { jwks })
}
type EdKeys = ReturnType<typeof edKeys>
const eddsaEnv = (keys: EdKeys, extra: Record<string, string> = {}) =>
  ({ AUTH_MODE: 'eddsa', JWT_KEYS_FILE: keysFile(keys.jwks), JWKS_REFETCH_COOLDOWN_SECONDS: '0', ...extra })
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const now = () => Math.floor(Date.now() / 1000)

async function listen (app: FastifyInstance): Promise<string> {
  return app.listen({ port: 0, host: '127.0.0.1' })
}

/** A bank and a retirement in eddsa mode, each publishing its JWKS over real HTTP on 127.0.0.1. */
async function eddsaPair (t: Parameters<typeof buildAuthApp>[0], bankKeys = edKeys('bank-1'), retirementKeys = edKeys('ret-1')) {
  const { app: bank } = await buildAuthApp(t, { service: 'bank', env: eddsaEnv(bankKeys) })
  const bankUrl = await listen(bank)
  const { app: retirement } = await buildAuthApp(t, { service: 'retirement', env: eddsaEnv(retirementKeys, { BANK_URL: bankUrl }) })
  const retirementUrl = await listen(retirement)
  // The bank trusts retirement's service tokens the same way.
  const { app: bankVerifier } = await buildAuthApp(t, { service: 'bank', env: eddsaEnv(bankKeys), parties: [{ name: 'retirement', url: retirementUrl }] })
  return { bank, retirement, bankVerifier, bankKeys, retirementKeys }
}

t.test('eddsa: the bank signs with Ed25519 and publishes only public keys; retirement verifies from the JWKS', async (t) => {
  const { bank, retirement, bankKeys } = await eddsaPair(t)
  const jwks = (await bank.inject({ url: '/.well-known/jwks.json' })).json()
  t.equal(jwks.keys.length, 1)
  t.same(Object.keys(jwks.keys[0]).sort(), ['alg', 'crv', 'kid', 'kty', 'use', 'x'], 'no private part (d) is published')
  const { accessToken } = (await bank.inject({ method: 'POST', url: '/login' })).json()
  t.same(decodeJwtParts(accessToken).header, { alg: 'EdDSA', typ: 'at+jwt', kid: bankKeys.signing.kid })
  const me = await retirement.inject({ url: '/me', headers: bearer(accessToken) })
  t.equal(me.statusCode, 200)
  t.equal(me.json().user.id, alice.id)
})

t.test('eddsa: retirement cannot mint a user token; its service tokens are trusted by the bank through its JWKS', async (t) => {
  const { retirement, bankVerifier, retirementKeys } = await eddsaPair(t)
  t.notOk(retirement.hasDecorator('signAccessToken'), 'no user-token signer outside the bank')
  const iat = now()
  const forged = signWithKey(
    { sub: alice.id, username: 'alice', name: 'Alice', iss: 'nestegg-bank', aud: ['nestegg-bank', 'nestegg-retirement'], iat, exp: iat + 600, jti: 'j1' },
    retirementKeys.signing,
    { typ: 'at+jwt' }
  )
  t.equal((await bankVerifier.inject({ url: '/me', headers: bearer(forged) })).statusCode, 401, "a user token signed with retirement's key is refused")
  t.equal((await retirement.inject({ url: '/me', headers: bearer(forged) })).statusCode, 401, 'also at retirement itself')

  const { token } = (await retirement.inject({ method: 'POST', url: '/mint-service' })).json()
  t.equal(decodeJwtParts(token).header.alg, 'EdDSA')
  const accepted = await bankVerifier.inject({ method: 'POST', url: '/internal', headers: bearer(token) })
  t.equal(accepted.statusCode, 200)
  t.equal((await bankVerifier.inject({ url: '/me', headers: bearer(token) })).statusCode, 401, 'a service token is not a user token')
})

t.test('eddsa: an HS256 token keyed with the public key, or with no kid, is refused', async (t) => {
  const { bank, retirement, bankKeys } = await eddsaPair(t)
  const jwk = (await bank.inject({ url: '/.well-known/jwks.json' })).json().keys[0]
  const iat = now()
  const claims = { sub: alice.id, username: 'alice', name: 'Alice', iss: 'nestegg-bank', aud: ['nestegg-bank', 'nestegg-retirement'], iat, exp: iat + 600, jti: 'j2' }
  for (const secret of [bankKeys.signing.verifyWith, JSON.stringify(jwk), jwk.x]) {
    const confused = signRaw(claims, secret, { typ: 'at+jwt', kid: bankKeys.signing.kid })
    t.equal((await retirement.inject({ url: '/me', headers: bearer(confused) })).statusCode, 401)
  }
  const noKid = signWithKey(claims, { ...bankKeys.signing, kid: '' }, { typ: 'at+jwt', kid: undefined })
  t.equal((await retirement.inject({ url: '/me', headers: bearer(noKid) })).statusCode, 401)
})

t.test('eddsa rotation: a token from the previous key verifies until the bank stops publishing it', async (t) => {
  const [oldKey, newKey] = [generateEd25519Jwk('bank-old'), generateEd25519Jwk('bank-new')]
  const set = (...jwks: Array<Record<string, string>>) => Object.assign(new KeySet(jwks.map(ed25519KeyFromJwk)), { jwks })
  const before = await eddsaPair(t, set(oldKey))
  const oldToken = (await before.bank.inject({ method: 'POST', url: '/login' })).json().accessToken
  const during = await eddsaPair(t, set(newKey, oldKey))
  const newToken = (await during.bank.inject({ method: 'POST', url: '/login' })).json().accessToken
  t.equal(decodeJwtParts(newToken).header.kid, 'bank-new')
  t.equal((await during.retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  t.equal((await during.retirement.inject({ url: '/me', headers: bearer(newToken) })).statusCode, 200)
  const after = await eddsaPair(t, set(newKey))
  t.equal((await after.retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401)
  t.equal((await after.retirement.inject({ url: '/me', headers: bearer(newToken) })).statusCode, 200)
})

t.test('JWKS client: caches, refetches an unknown kid at most once per cool-down, keeps keys when the issuer is down', async (t) => {
  let published: KeySet = edKeys('a1')
  let up = true
  let served = 0
  const fakeFetch = (async () => {
    served++
    if (!up) throw new Error('connection refused')
    return new Response(JSON.stringify(published.publicJwks()), { status: 200, headers: { 'content-type': 'application/json' } })
  }) as typeof fetch
  let clock = 1_000_000
  const client = createJwksClient({ url: 'http://127.0.0.1:9/.well-known/jwks.json', cacheSeconds: 300, refetchCooldownSeconds: 30, now: () => clock, fetch: fakeFetch })

  t.ok(await client.find('a1'))
  for (let i = 0; i < 5; i++) await client.find('a1')
  t.equal(served, 1, 'a known kid is answered from the cache')

  published = new KeySet([...edKeys('a2').keys, ...published.keys])
  clock += 31_000
  t.ok(await client.find('a2'), 'an unknown kid fetches the set again')
  t.equal(served, 2)
  t.notOk(await client.find('junk-1'))
  t.notOk(await client.find('junk-2'))
  t.equal(served, 2, 'unknown kids inside the cool-down do not fetch')
  clock += 31_000
  t.notOk(await client.find('junk-3'))
  t.equal(served, 3, 'after the cool-down, one more fetch')

  up = false
  clock += 301_000
  t.ok(await client.find('a1'), 'the issuer being down keeps the keys already known')
  t.equal(served, 4)
  await Promise.all([1, 2, 3].map(() => client.find('a1')))
  t.equal(served, 4, 'and does not retry on every request')
})
