// docs/security.md's token table in eddsa mode (issue 20, item 4): only EdDSA is accepted, and a
// `kid` selects a key of the bank's JWKS but causes nothing beyond its bounded refresh.
import { generateKeyPairSync } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import Fastify from 'fastify'
import t from 'tap'
import { alice, buildAuthApp, keysFile } from './helper.js'
import { generateEd25519Jwk } from '../src/index.js'
import { base64url, openTrap, randomSecret, signRaw } from '../testing/index.js'

async function eddsaParty (t: Parameters<typeof buildAuthApp>[0]) {
  const { app: bank } = await buildAuthApp(t, { service: 'bank', env: { AUTH_MODE: 'eddsa', JWT_KEYS_FILE: keysFile([generateEd25519Jwk('bank-t1')]) } })
  // The bank's JWKS, served by a stand-in that counts each fetch.
  const jwks = (await bank.inject('/.well-known/jwks.json')).json()
  const jwksHits: string[] = []
  const counting = Fastify()
  counting.get('/.well-known/jwks.json', async (request) => { jwksHits.push(request.url); return jwks })
  t.teardown(() => counting.close())
  const bankUrl = await counting.listen({ port: 0, host: '127.0.0.1' })
  // The defaults: an unknown kid refetches the JWKS at most once per 30 s.
  const { app: party } = await buildAuthApp(t, { env: { AUTH_MODE: 'eddsa', JWT_KEYS_FILE: keysFile([generateEd25519Jwk('ret-t1')]), BANK_URL: bankUrl } })
  const accessToken = (await bank.inject({ method: 'POST', url: '/login' })).json().accessToken as string
  return { party, jwksHits, accessToken }
}

const claims = () => {
  const iat = Math.floor(Date.now() / 1000)
  return { sub: alice.id, username: alice.username, name: alice.name, iss: 'nestegg-bank', aud: ['nestegg-bank', 'nestegg-retirement'], iat, exp: iat + 600, jti: `j-${iat}` }
}
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

t.test('eddsa: only EdDSA is accepted; HS256/384/512, RS256, ES256, PS256 and none are refused, even naming the bank\'s kid', async (t) => {
  const { party, accessToken } = await eddsaParty(t)
  t.equal((await party.inject({ url: '/me', headers: bearer(accessToken) })).statusCode, 200, 'the bank\'s own token')
  const header = { typ: 'at+jwt', kid: 'bank-t1' }
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const forged: Record<string, string> = {
    HS256: signRaw(claims(), randomSecret(), header, 'HS256'),
    HS384: signRaw(claims(), randomSecret(), header, 'HS384'),
    HS512: signRaw(claims(), randomSecret(), header, 'HS512'),
    RS256: createSigner({ key: rsa, algorithm: 'RS256', header: { alg: 'RS256', ...header } })(claims()),
    PS256: createSigner({ key: rsa, algorithm: 'PS256', header: { alg: 'PS256', ...header } })(claims()),
    ES256: createSigner({ key: ec, algorithm: 'ES256', header: { alg: 'ES256', ...header } })(claims()),
    none: `${base64url(JSON.stringify({ alg: 'none', ...header }))}.${base64url(JSON.stringify(claims()))}.`
  }
  for (const [alg, token] of Object.entries(forged)) {
    const response = await party.inject({ url: '/me', headers: bearer(token) })
    t.equal(response.statusCode, 401, alg)
  }
})

t.test('eddsa: hostile kids cause one JWKS fetch at most, and no other request, file or query', async (t) => {
  const { party, jwksHits } = await eddsaParty(t)
  const trap = await openTrap()
  t.teardown(() => trap.close())
  const kids = [
    '../../../../etc/passwd', '/dev/zero', "x' UNION SELECT 'key", `${trap.url}/jwks.json`, 'file:///etc/shadow',
    ...Array.from({ length: 45 }, (_, index) => `junk-${index}`)
  ]
  for (const kid of kids) {
    const token = signRaw(claims(), randomSecret(), { typ: 'at+jwt', kid, alg: 'EdDSA', jku: `${trap.url}/jku`, x5u: `${trap.url}/x5u` })
    t.equal((await party.inject({ url: '/me', headers: bearer(token) })).statusCode, 401, kid)
  }
  t.ok(jwksHits.length <= 1, `${kids.length} unknown kids, ${jwksHits.length} JWKS fetch`)
  t.same(trap.hits, [], 'a kid, jku or x5u naming a URL is never fetched')
})
