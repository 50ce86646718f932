import Fastify from 'fastify'
import { loadConfig } from '@nestegg/platform'
import { IssuerConfigSchema, type RevokedSession, issuer } from '@nestegg/shared-auth'
import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp } from '../../helper.js'

/** A stand-in bank: the real issuer, whose catch-up route answers the given sessions. */
async function fakeBank (t: Parameters<typeof buildTestApp>[0], secret: string, revoked: RevokedSession[]) {
  const app = Fastify({ logger: false })
  const calls: string[] = []
  app.addHook('preHandler', async (request) => { calls.push(request.serviceCaller?.actor ?? '') })
  await app.register(issuer, {
    config: loadConfig(IssuerConfigSchema, { NODE_ENV: 'test', JWT_SECRET: secret }),
    parties: [{ name: 'retirement', url: 'http://127.0.0.1:9' }],
    publicUrl: 'http://localhost:3000',
    isSessionRevoked: () => false,
    revokedSince: async () => revoked
  })
  t.teardown(() => app.close())
  return { url: await app.listen({ port: 0, host: '127.0.0.1' }), calls }
}

t.test('at start, retirement catches up with logouts it missed while down, before serving a request', async (t) => {
  const secret = randomSecret()
  const bank = await fakeBank(t, secret, [{ sessionId: 'sid-missed', userId: alice.id, revokedAt: Date.now() - 5000 }])
  const { app } = await buildTestApp(t, { JWT_SECRET: secret, BANK_INTERNAL_URL: bank.url }, { catchUp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  // No waiting here: the first request itself waits for the catch-up that listening started.
  const token = mintAccessToken(alice, { secret, claims: { sid: 'sid-missed' } })
  t.equal((await app.inject({ url: '/api/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 401)
  t.same(bank.calls, ['nestegg-retirement'], 'one call, with a service token of its own')
})

t.test('a bank that cannot be reached at start does not stop retirement', async (t) => {
  const { app, bearerFor } = await buildTestApp(t, {}, { catchUp: true })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.equal((await app.inject({ url: '/api/me', headers: bearerFor(alice) })).statusCode, 200)
  await t.rejects(app.catchUpRevokedSessions())
})
