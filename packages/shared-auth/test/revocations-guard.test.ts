// The relying party's guard for routes that must not serve a session the bank may have ended:
// closed until the first catch-up with the bank, under the party's own code if it names one.
import { codedError, loadConfig } from '@nestegg/platform'
import { freePort } from '@nestegg/platform/testing'
import Fastify from 'fastify'
import t, { type Test } from 'tap'
import { buildAuthApp } from './helper.js'
import { RelyingPartyConfigSchema, relyingParty } from '../src/index.js'
import { randomSecret } from '../testing/index.js'

const ShopClosedError = codedError('SHOP_REVOCATIONS_UNAVAILABLE', 'No sales until sign-outs can be checked', 503)

/** A bare party, as any service would write it, with one guarded route; its bank is expected at `bankPort`. */
async function party (t: Test, secret: string, bankPort: number, options: { catchUp?: boolean, ownError?: boolean } = {}) {
  const app = Fastify()
  await app.register(relyingParty, {
    name: 'shop',
    config: loadConfig(RelyingPartyConfigSchema, { NODE_ENV: 'test', JWT_SECRET: secret, BANK_URL: `http://127.0.0.1:${bankPort}` }),
    // One attempt at start; the test calls the next one.
    catchUp: options.catchUp === false ? false : { retryMs: 600_000, warnAfterMs: 600_000 },
    ...(options.ownError ? { revocationsUnavailableError: () => new ShopClosedError() } : {})
  })
  app.post('/buy', { preHandler: [app.requireCurrentRevocations] }, async () => ({ bought: true }))
  t.teardown(() => app.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  return app
}

t.test('closed with AUTH_REVOCATIONS_UNAVAILABLE until the first catch-up, open after it', async (t) => {
  const secret = randomSecret()
  const bankPort = await freePort()
  const app = await party(t, secret, bankPort)
  const refused = await app.inject({ method: 'POST', url: '/buy' })
  t.equal(refused.statusCode, 503)
  t.same(refused.json(), {
    statusCode: 503, code: 'AUTH_REVOCATIONS_UNAVAILABLE', error: 'Service Unavailable', message: 'Sign-outs cannot be checked with the bank yet; try again shortly'
  })
  t.notOk(app.revocationsCurrent())

  const { app: bank } = await buildAuthApp(t, { service: 'bank', secret, parties: [{ name: 'shop', url: 'http://127.0.0.1:9' }] })
  await bank.listen({ port: bankPort, host: '127.0.0.1' })
  t.equal(await app.catchUpRevokedSessions(), 0, 'caught up')
  const served = await app.inject({ method: 'POST', url: '/buy' })
  t.equal(served.statusCode, 200)
  t.same(served.json(), { bought: true })
})

t.test('a party names its own refusal; one that does not catch up is never closed', async (t) => {
  const secret = randomSecret()
  const own = await party(t, secret, 9, { ownError: true })
  const refused = await own.inject({ method: 'POST', url: '/buy' })
  t.equal(refused.statusCode, 503)
  t.match(refused.json(), { code: 'SHOP_REVOCATIONS_UNAVAILABLE', message: 'No sales until sign-outs can be checked' })

  const noCatchUp = await party(t, secret, 9, { catchUp: false })
  t.equal((await noCatchUp.inject({ method: 'POST', url: '/buy' })).statusCode, 200)
})
