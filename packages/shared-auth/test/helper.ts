import Fastify, { type FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { type SharedAuthOptions, type ServiceName, sharedAuthPlugin } from '../src/index.js'
import { randomSecret, type TestUser } from '../src/testing.js'

export const alice: TestUser = { id: 'user-alice-1', username: 'alice', name: 'Alice Example' }

export interface AuthHarness {
  app: FastifyInstance
  secret: string
}

/** A minimal service with shared-auth and one protected route of each kind. */
export async function buildAuthApp (
  t: Test,
  options: { service?: ServiceName, secret?: string, ttl?: number, auth?: Partial<SharedAuthOptions> } = {}
): Promise<AuthHarness> {
  const secret = options.secret ?? randomSecret()
  const app = Fastify({ logger: false })
  await app.register(sharedAuthPlugin, {
    secret,
    ...options.auth,
    service: options.service ?? 'retirement',
    accessTokenTtlSeconds: options.ttl ?? 900,
    clockToleranceSeconds: 30,
    cookie: { name: 'nestegg_access', secure: false }
  })
  app.get('/me', { onRequest: [app.authenticate] }, async (request) => ({ user: request.user, via: request.authVia }))
  app.post('/internal', { onRequest: [app.requireServiceToken('contributions')] }, async (request) => request.serviceCaller)
  app.post('/login', async (_request, reply) => {
    const signed = await app.signAccessToken({ ...alice, sessionId: 'session-1' })
    reply.setAccessCookie(signed.accessToken)
    return signed
  })
  app.post('/mint-service', async () => ({ token: await app.signServiceToken({ userId: alice.id, audience: 'bank', scope: 'contributions' }) }))
  app.post('/logout-token', async () => ({ token: await app.signLogoutToken({ sessionId: 'session-1', userId: alice.id, audience: 'retirement' }) }))
  app.post('/backchannel', async (request) => app.verifyLogoutToken((request.body as { token: string }).token))
  t.teardown(() => app.close())
  await app.ready()
  return { app, secret }
}
