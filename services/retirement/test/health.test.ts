import t from 'tap'
import Fastify from 'fastify'
import { buildTestApp } from './helper.js'

t.test('healthz and readyz answer; readyz is 503 without a database', async (t) => {
  const { app } = await buildTestApp(t)
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ready' })
  await app.database.db.destroy()
  t.equal((await app.inject('/readyz')).statusCode, 503)
})

t.test('readyz is 503, with the reason, while the bank signs in another mode', async (t) => {
  const bank = Fastify({ logger: false })
  // The bank's issuer metadata in eddsa mode; retirement here runs hs256.
  bank.get('/.well-known/nestegg-issuer', async () => ({ issuer: 'nestegg-bank', mode: 'eddsa', signing_kid: 'bank-1', kids: ['bank-1'] }))
  t.teardown(() => bank.close())
  const { app } = await buildTestApp(t, { BANK_INTERNAL_URL: await bank.listen({ port: 0, host: '127.0.0.1' }) })
  t.equal((await app.inject('/readyz')).statusCode, 200, 'nothing known before the check')
  t.equal(await app.checkIssuerTrust(), 'mismatch')
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 503)
  t.match(response.json(), { status: 'unavailable', reasons: [/the bank runs AUTH_MODE=eddsa but this service runs AUTH_MODE=hs256: set AUTH_MODE=eddsa here/] })
})
