import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { decodeJwtParts } from './jwt-parts.js'
import { alice, buildAuthApp } from './helper.js'
import { kidForSecret, parseSecretList, readHmacKeyFile, resolveKeySet } from '../src/index.js'
import { mintAccessToken, randomSecret } from '../testing/index.js'

const [oldSecret, newSecret] = [randomSecret(), randomSecret()]
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

t.test('HS256 rotation: the first key signs, the previous one verifies until it is removed', async (t) => {
  // Step 1 of docs/security.md: every service knows both keys, the old one still signs.
  const before = await buildAuthApp(t, { service: 'bank', env: { JWT_SECRETS: `k1:${oldSecret}` } })
  const oldToken = (await before.app.inject({ method: 'POST', url: '/login' })).json().accessToken
  t.equal(decodeJwtParts(oldToken).header.kid, 'k1', 'tokens name the key that signed them')

  // Step 2: the new key moves first everywhere; the old one stays to verify.
  const during = await buildAuthApp(t, { service: 'retirement', env: { JWT_SECRETS: `k2:${newSecret},k1:${oldSecret}` } })
  const bankDuring = await buildAuthApp(t, { service: 'bank', env: { JWT_SECRETS: `k2:${newSecret},k1:${oldSecret}` } })
  const newToken = (await bankDuring.app.inject({ method: 'POST', url: '/login' })).json().accessToken
  t.equal(decodeJwtParts(newToken).header.kid, 'k2')
  t.equal((await during.app.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200, 'the previous key still verifies: nobody is logged out')
  t.equal((await during.app.inject({ url: '/me', headers: bearer(newToken) })).statusCode, 200)

  // Step 3: once the longest token signed with it has expired, the old key is removed.
  const after = await buildAuthApp(t, { service: 'retirement', env: { JWT_SECRETS: `k2:${newSecret}` } })
  t.equal((await after.app.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401, 'a removed key verifies nothing')
  t.equal((await after.app.inject({ url: '/me', headers: bearer(newToken) })).statusCode, 200)
})

t.test('a token whose kid names one key but is signed with another is refused', async (t) => {
  const { app } = await buildAuthApp(t, { env: { JWT_SECRETS: `k2:${newSecret},k1:${oldSecret}` } })
  const crossed = mintAccessToken(alice, { secret: oldSecret, kid: 'k2' })
  t.equal((await app.inject({ url: '/me', headers: bearer(crossed) })).statusCode, 401)
})

t.test('JWT_SECRET alone is a one-key set whose kid every service derives alike', async (t) => {
  const set = resolveKeySet({ JWT_SECRET: oldSecret }, 'bank')
  t.equal(set.signing.kid, kidForSecret(oldSecret))
  t.not(kidForSecret(oldSecret), kidForSecret(newSecret))
})

t.test('a key file (JWK Set of oct keys) works like JWT_SECRETS', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-keys-'))
  const file = join(dir, 'keys.json')
  const k = (secret: string) => Buffer.from(secret).toString('base64url')
  writeFileSync(file, JSON.stringify({ keys: [{ kty: 'oct', kid: 'k2', k: k(newSecret) }, { kty: 'oct', kid: 'k1', k: k(oldSecret) }] }))
  const set = readHmacKeyFile(file)
  t.same(set.keys.map((key) => key.kid), ['k2', 'k1'])
  t.equal(set.find('k1')?.verifyWith, oldSecret)
})

t.test('bad key configuration stops start-up with a message naming the variable', async (t) => {
  t.throws(() => parseSecretList('k1'), /JWT_SECRETS entry 1 must be kid:secret/)
  t.throws(() => parseSecretList('k1:short'), /JWT_SECRETS key k1 is 5 bytes/)
  t.throws(() => parseSecretList(`k1:${oldSecret},k1:${newSecret}`), /k1 appears twice/)
  t.throws(() => parseSecretList(`bad/kid:${oldSecret}`), /Key id "bad\/kid"/)
  t.throws(() => resolveKeySet({ JWT_SECRET: oldSecret, JWT_SECRETS: `k1:${newSecret}` }, 'bank'), /Set only one of JWT_SECRET, JWT_SECRETS/)
  t.throws(() => resolveKeySet({ AUTH_MODE: 'eddsa', JWT_SECRET: oldSecret }, 'bank'), /AUTH_MODE=eddsa takes this service's private keys from JWT_KEYS_FILE/)
  t.throws(() => resolveKeySet({ AUTH_MODE: 'eddsa', NODE_ENV: 'production' }, 'bank'), /JWT_KEYS_FILE must be set/)
  t.throws(() => readHmacKeyFile('/nonexistent/keys.json'), /JWT_KEYS_FILE \(\/nonexistent\/keys.json\) cannot be read/)
})
