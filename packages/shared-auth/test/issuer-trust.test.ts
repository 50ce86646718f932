// The issuer's metadata, and a relying party's check of its own setup against it (issue 20, item 1).
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { buildAuthApp, keysFile } from './helper.js'
import { generateEd25519Jwk } from '../src/index.js'
import { randomSecret } from '../testing/index.js'

const listen = (app: FastifyInstance) => app.listen({ port: 0, host: '127.0.0.1' })
const errors = (logs: Array<Record<string, unknown>>) => logs.filter((line) => line.level === 50)
const eddsaEnv = (kid: string) => ({ AUTH_MODE: 'eddsa', JWT_KEYS_FILE: keysFile([generateEd25519Jwk(kid)]) })

async function bankAt (t: Test, env: Record<string, string>) {
  const { app } = await buildAuthApp(t, { service: 'bank', env })
  return { app, url: await listen(app) }
}

async function party (t: Test, env: Record<string, string>) {
  const logs: Array<Record<string, unknown>> = []
  const { app } = await buildAuthApp(t, { env, logs })
  return { app, logs }
}

t.test('the bank publishes its mode, name and signing kids at /.well-known/nestegg-issuer', async (t) => {
  const hs = await bankAt(t, { JWT_SECRETS: `k2:${'b'.repeat(40)},k1:${'a'.repeat(40)}` })
  t.same((await hs.app.inject('/.well-known/nestegg-issuer')).json(), { issuer: 'nestegg-bank', mode: 'hs256', signing_kid: 'k2', kids: ['k2', 'k1'] })
  const ed = await bankAt(t, eddsaEnv('bank-ed-1'))
  t.same((await ed.app.inject('/.well-known/nestegg-issuer')).json(), {
    issuer: 'nestegg-bank', mode: 'eddsa', signing_kid: 'bank-ed-1', kids: ['bank-ed-1'], jwks_uri: 'http://localhost:3000/.well-known/jwks.json'
  })
})

t.test('a mode mismatch either way is found, named with the setting to change, and logged once', async (t) => {
  const ed = await bankAt(t, eddsaEnv('bank-ed-2'))
  const hsParty = await party(t, { BANK_URL: ed.url })
  t.equal(await hsParty.app.checkIssuerTrust(), 'mismatch')
  t.match(hsParty.app.issuerTrustProblems(), [/bank runs AUTH_MODE=eddsa but this service runs AUTH_MODE=hs256: set AUTH_MODE=eddsa here/])
  await hsParty.app.checkIssuerTrust()
  await hsParty.app.checkIssuerTrust()
  t.equal(errors(hsParty.logs).length, 1, 'one error line, not one per check')
  t.match(errors(hsParty.logs)[0], { msg: /AUTH_MODE=eddsa/, cause: /AUTH_MODE/ })

  const hs = await bankAt(t, { JWT_SECRET: randomSecret() })
  const edParty = await party(t, { ...eddsaEnv('ret-ed-2'), BANK_URL: hs.url })
  t.equal(await edParty.app.checkIssuerTrust(), 'mismatch')
  t.match(edParty.app.issuerTrustProblems(), [/bank runs AUTH_MODE=hs256 but this service runs AUTH_MODE=eddsa/])
})

t.test('a rotation done out of order is caught: the bank signs with a key the party does not hold', async (t) => {
  const [k1, k2] = [`k1:${'1'.repeat(40)}`, `k2:${'2'.repeat(40)}`]
  const bank = await bankAt(t, { JWT_SECRETS: `${k2},${k1}` })
  const behind = await party(t, { JWT_SECRETS: k1, BANK_URL: bank.url })
  t.equal(await behind.app.checkIssuerTrust(), 'mismatch')
  t.match(behind.app.issuerTrustProblems(), [/signs with key "k2", which this service does not hold: add it to JWT_SECRETS here/])
  const inOrder = await party(t, { JWT_SECRETS: `${k1},${k2}`, BANK_URL: bank.url })
  t.equal(await inOrder.app.checkIssuerTrust(), 'ok', 'a party that took the new key first is fine')
  t.same(inOrder.app.issuerTrustProblems(), [])
  t.same(errors(inOrder.logs), [])

  const secret = randomSecret()
  const single = await bankAt(t, { JWT_SECRET: secret })
  const otherSecret = await party(t, { JWT_SECRET: randomSecret(), BANK_URL: single.url })
  t.equal(await otherSecret.app.checkIssuerTrust(), 'mismatch', 'JWT_SECRET alone: another secret is another kid')
  t.match(otherSecret.app.issuerTrustProblems(), [/JWT_SECRET/])
  const sameSecret = await party(t, { JWT_SECRET: secret, BANK_URL: single.url })
  t.equal(await sameSecret.app.checkIssuerTrust(), 'ok')
})

t.test('something else at the bank URL is named; a bank that cannot be reached is no mismatch', async (t) => {
  const impostor = Fastify()
  impostor.get('/.well-known/nestegg-issuer', async () => ({ issuer: 'nestegg-retirement', mode: 'hs256', signing_kid: 'x', kids: ['x'] }))
  t.teardown(() => impostor.close())
  const wrong = await party(t, { BANK_URL: await listen(impostor) })
  t.equal(await wrong.app.checkIssuerTrust(), 'mismatch')
  t.match(wrong.app.issuerTrustProblems(), [/is "nestegg-retirement", not the bank \(nestegg-bank\): point BANK_URL at the bank/])

  const away = await party(t, { BANK_URL: 'http://127.0.0.1:9' })
  t.equal(await away.app.checkIssuerTrust(), 'unreachable')
  t.same(away.app.issuerTrustProblems(), [])
  t.same(errors(away.logs), [], 'no error line: the catch-up retries')
})

t.test('a new cause is logged again; a fixed one clears the problem', async (t) => {
  let metadata: Record<string, unknown> = { issuer: 'nestegg-bank', mode: 'eddsa', signing_kid: 'x', kids: ['x'] }
  const bank = Fastify()
  bank.get('/.well-known/nestegg-issuer', async () => metadata)
  t.teardown(() => bank.close())
  const secret = randomSecret()
  const p = await party(t, { JWT_SECRET: secret, BANK_URL: await listen(bank) })
  await p.app.checkIssuerTrust()
  metadata = { ...metadata, mode: 'hs256' }
  await p.app.checkIssuerTrust()
  t.equal(errors(p.logs).length, 2, 'the mode, then the key')
  t.match(errors(p.logs)[1], { msg: /signs with key "x"/ })
  const { kidForSecret } = await import('../src/index.js')
  metadata = { ...metadata, signing_kid: kidForSecret(secret), kids: [kidForSecret(secret)] }
  t.equal(await p.app.checkIssuerTrust(), 'ok')
  t.same(p.app.issuerTrustProblems(), [])
  t.ok(p.logs.some((line) => line.level === 30 && /trust in the bank restored/.test(String(line.msg))))
})

t.test('the party checks at start-up, beside its first catch-up', async (t) => {
  const ed = await bankAt(t, eddsaEnv('bank-ed-3'))
  const logs: Array<Record<string, unknown>> = []
  const { app } = await buildAuthApp(t, { env: { BANK_URL: ed.url }, logs, catchUp: { retryMs: 50, warnAfterMs: 0 } })
  await listen(app)
  const deadline = Date.now() + 5000
  while (app.issuerTrustProblems().length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20))
  t.match(app.issuerTrustProblems(), [/AUTH_MODE=eddsa/])
  await new Promise((resolve) => setTimeout(resolve, 300))
  t.equal(errors(logs).length, 1, 'several catch-up attempts, one error line')
  const warnings = logs.filter((line) => line.level === 40 && /catch-up/.test(String(line.msg)))
  t.equal(warnings.length, 1, 'one catch-up warning')
  // It says what is known (the catch-up fails, why, and the trust problem behind it) and claims
  // nothing about notices it cannot know arrive.
  t.equal(warnings[0]?.msg, 'the deny-list catch-up with the bank keeps failing; still retrying')
  t.equal(warnings[0]?.err, 'the bank answered 401', 'the bank refuses the catch-up call: the modes differ')
  t.match(warnings[0]?.trust, [/AUTH_MODE=eddsa/], 'the warning carries the mismatch that explains it')
  t.notOk(logs.some((line) => /notices?\b.*\barrive/.test(String(line.msg))), 'no line claims that back-channel notices arrive')
})
