// Emergency key withdrawal (issue 20, item 3): the bank re-reads its keys, tells every party, and a
// token signed with the withdrawn key is refused everywhere at once, not after the JWKS cache runs out.
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { freePort } from '@nestegg/platform/testing'
import t, { type Test } from 'tap'
import { buildAuthApp, keysFile } from './helper.js'
import { KeySet, ed25519KeyFromJwk, generateEd25519Jwk } from '../src/index.js'
import { signWithKey } from '../testing/index.js'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

/**
 * A bank in eddsa mode holding `keys` in a file it can re-read, and retirement trusting it over HTTP.
 * With `countFetches`, retirement reaches the bank's GET documents through a front on 127.0.0.1 that
 * counts each path asked for.
 */
async function eddsaStack (t: Test, keys: Array<Record<string, string>>, options: { countFetches?: boolean } = {}) {
  const file = keysFile(keys)
  const port = await freePort()
  const { app: bank } = await buildAuthApp(t, {
    service: 'bank',
    env: { AUTH_MODE: 'eddsa', JWT_KEYS_FILE: file },
    parties: [{ name: 'retirement', url: `http://127.0.0.1:${port}` }]
  })
  let bankUrl = await bank.listen({ port: 0, host: '127.0.0.1' })
  const fetches = new Map<string, number>()
  if (options.countFetches === true) {
    const front = createServer((request, response) => {
      fetches.set(request.url ?? '', (fetches.get(request.url ?? '') ?? 0) + 1)
      void bank.inject({ url: request.url ?? '/' }).then((answer) => {
        response.writeHead(answer.statusCode, { 'content-type': String(answer.headers['content-type']) }).end(answer.body)
      })
    })
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve))
    t.teardown(() => new Promise<void>((resolve) => front.close(() => resolve())))
    bankUrl = `http://127.0.0.1:${(front.address() as { port: number }).port}`
  }
  // The defaults: a JWKS kept 300 s, an unknown kid refetched at most every 30 s.
  const { app: retirement } = await buildAuthApp(t, { env: { AUTH_MODE: 'eddsa', JWT_KEYS_FILE: keysFile([generateEd25519Jwk('ret-1')]), BANK_URL: bankUrl } })
  await retirement.listen({ port, host: '127.0.0.1' })
  const login = async () => (await bank.inject({ method: 'POST', url: '/login' })).json().accessToken as string
  return { bank, retirement, file, login, jwksFetches: () => fetches.get('/.well-known/jwks.json') ?? 0 }
}

t.test('eddsa: after a withdrawal the old kid is refused by the bank and, once notified, by the party', async (t) => {
  const [oldKey, newKey] = [generateEd25519Jwk('bank-old'), generateEd25519Jwk('bank-new')]
  const { bank, retirement, file, login } = await eddsaStack(t, [oldKey])
  const oldToken = await login()
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  t.equal((await bank.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)

  writeFileSync(file, JSON.stringify({ keys: [newKey] }))
  t.same(bank.reloadSigningKeys(), { kids: ['bank-new'], withdrawn: ['bank-old'] })
  t.equal((await bank.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401, 'the bank refuses it at once')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200, 'before the notice, the party still accepts it (its caches)')

  t.equal(await bank.logoutNotices.runOnce(), 1, 'the keys-changed notice is delivered')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401, 'refused by the party')
  const newToken = await login()
  t.equal((await retirement.inject({ url: '/me', headers: bearer(newToken) })).statusCode, 200, 'a token from the new key is accepted')
})

t.test('eddsa: one keys-changed notice makes the party fetch the bank\'s JWKS exactly once', async (t) => {
  const [oldKey, newKey] = [generateEd25519Jwk('bank-one'), generateEd25519Jwk('bank-two')]
  const { bank, retirement, file, login, jwksFetches } = await eddsaStack(t, [oldKey], { countFetches: true })
  const oldToken = await login()
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  t.equal(await retirement.checkIssuerTrust(), 'ok', 'the party knows the bank\'s kids before the withdrawal')
  const before = jwksFetches()
  t.equal(before, 1, 'one fetch so far: the first token\'s unknown kid')

  writeFileSync(file, JSON.stringify({ keys: [newKey] }))
  t.same(bank.reloadSigningKeys().withdrawn, ['bank-one'])
  t.equal(await bank.logoutNotices.runOnce(), 1, 'the notice is delivered')
  t.equal(jwksFetches() - before, 1, 'one notice, one JWKS fetch')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401, 'the withdrawn kid is refused')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(await login()) })).statusCode, 200, 'the new kid is known')
  t.equal(jwksFetches() - before, 1, 'without fetching again')
})

t.test('eddsa: a notice that got lost is made up for by the party\'s next trust check', async (t) => {
  const [oldKey, newKey] = [generateEd25519Jwk('bank-a'), generateEd25519Jwk('bank-b')]
  const { bank, retirement, file, login } = await eddsaStack(t, [oldKey])
  const oldToken = await login()
  t.equal(await retirement.checkIssuerTrust(), 'ok')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  writeFileSync(file, JSON.stringify({ keys: [newKey, oldKey] }))
  t.same(bank.reloadSigningKeys(), { kids: ['bank-b', 'bank-a'], withdrawn: [] }, 'the planned step: the new key signs, the old one still verifies')
  t.equal(await retirement.checkIssuerTrust(), 'ok')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  writeFileSync(file, JSON.stringify({ keys: [newKey] }))
  t.same(bank.reloadSigningKeys().withdrawn, ['bank-a'])
  t.equal(await retirement.checkIssuerTrust(), 'ok', 'the bank no longer lists bank-a')
  t.equal((await retirement.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401)
})

t.test('a keys-changed notice that is not the bank\'s is a 401 and changes nothing', async (t) => {
  const { retirement, login } = await eddsaStack(t, [generateEd25519Jwk('bank-c')])
  const token = await login()
  t.equal((await retirement.inject({ url: '/me', headers: bearer(token) })).statusCode, 200)
  const iat = Math.floor(Date.now() / 1000)
  const forged = signWithKey({
    sub: 'nestegg-bank', iss: 'nestegg-bank', aud: 'nestegg-retirement', iat, exp: iat + 60, jti: 'f1',
    events: { 'https://nestegg.invalid/event/keys-changed': { withdrawn: ['bank-c'] } }
  }, new KeySet([ed25519KeyFromJwk(generateEd25519Jwk('bank-c'))]).signing, { typ: 'nestegg-keys+jwt' })
  for (const notice of [forged, 'not-a-token']) {
    const response = await retirement.inject({ method: 'POST', url: '/internal/keys-changed', payload: { notice_token: notice } })
    t.equal(response.statusCode, 401)
  }
  t.equal((await retirement.inject({ url: '/me', headers: bearer(token) })).statusCode, 200, 'still accepted')
})

t.test('hs256: a reload from JWT_KEYS_FILE withdraws the kid at the bank and tells the parties', async (t) => {
  const oct = (kid: string, fill: string) => ({ kty: 'oct', kid, k: Buffer.from(fill.repeat(40)).toString('base64url') })
  const file = keysFile([oct('k1', 'a')])
  const { app: bank } = await buildAuthApp(t, { service: 'bank', env: { JWT_KEYS_FILE: file } })
  const oldToken = (await bank.inject({ method: 'POST', url: '/login' })).json().accessToken as string
  t.equal((await bank.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 200)
  writeFileSync(file, JSON.stringify({ keys: [oct('k2', 'b')] }))
  t.same(bank.reloadSigningKeys(), { kids: ['k2'], withdrawn: ['k1'] })
  t.equal((await bank.inject({ url: '/me', headers: bearer(oldToken) })).statusCode, 401)
  writeFileSync(file, 'not json')
  t.match(bank.reloadSigningKeys(), { kids: ['k2'], withdrawn: [], error: /JWT_KEYS_FILE/ }, 'a broken file keeps the keys held')
  writeFileSync(file, JSON.stringify({ keys: [generateEd25519Jwk('ed')] }))
  t.match(bank.reloadSigningKeys(), { kids: ['k2'], error: /.+/ }, 'keys of the other mode are refused: the mode needs a restart')
})
