import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '@nestegg/platform'
import Fastify, { type FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import {
  type DenyListStore,
  type IssuerOptions,
  type RelyingPartyOptions,
  type LogoutOutboxStore,
  type RelyingPartyEntry,
  ACR_PASSKEY,
  ACR_PASSWORD,
  IssuerConfigSchema,
  RelyingPartyConfigSchema,
  issuer,
  relyingParty,
  requireStepUp
} from '../src/index.js'
import { randomSecret, type TestUser } from '../testing/index.js'

export const alice: TestUser = { id: 'user-alice-1', username: 'alice', name: 'Alice Example' }

export interface AuthHarness {
  app: FastifyInstance
  secret: string
}

export interface AuthAppOptions {
  /** 'bank' registers the issuer; any other name a relying party of that name (default retirement). */
  service?: string
  secret?: string
  ttl?: number
  /** More settings, as the environment would give them (JWT_SECRETS, AUTH_MODE, JWT_KEYS_FILE, BANK_URL…). */
  env?: Record<string, string>
  /** The issuer's registry (default: retirement, at a closed port). */
  parties?: RelyingPartyEntry[]
  isSessionRevoked?: (sessionId: string) => boolean
  logoutOutbox?: LogoutOutboxStore
  /** The issuer's delivery settings (autoStart false unless given). */
  logoutDelivery?: IssuerOptions['logoutDelivery']
  /** Collects every log line (debug and up) as parsed JSON. */
  logs?: Array<Record<string, unknown>>
  /** A relying party's catch-up (default off). */
  catchUp?: RelyingPartyOptions['catchUp']
}

/** A minimal service with one role of shared-auth and one protected route of each kind. */
export async function buildAuthApp (t: Test, options: AuthAppOptions = {}): Promise<AuthHarness> {
  const secret = options.secret ?? randomSecret()
  const service = options.service ?? 'retirement'
  const env = {
    NODE_ENV: 'test',
    ...(options.env?.JWT_SECRETS || options.env?.JWT_KEYS_FILE ? {} : { JWT_SECRET: secret }),
    ACCESS_TOKEN_TTL_SECONDS: String(options.ttl ?? 900),
    BANK_URL: 'http://127.0.0.1:9',
    ...options.env
  }
  const revoked = options.isSessionRevoked ?? (() => false)
  const logs = options.logs
  const app = Fastify({ logger: logs ? { level: 'debug', stream: { write: (line: string) => { logs.push(JSON.parse(line)) } } } : false })
  if (service === 'bank') {
    await app.register(issuer, {
      config: loadConfig(IssuerConfigSchema, env),
      parties: options.parties ?? [{ name: 'retirement', url: 'http://127.0.0.1:9' }],
      publicUrl: 'http://localhost:3000',
      isSessionRevoked: revoked,
      revokedSince: async () => [],
      ...(options.logoutOutbox ? { logoutOutbox: options.logoutOutbox } : {}),
      logoutDelivery: options.logoutDelivery ?? { autoStart: false }
    })
    app.post('/login', async (_request, reply) => {
      const signed = await app.signAccessToken({ ...alice, sessionId: 'session-1', authentication: { amr: ['pwd'], acr: ACR_PASSWORD, authTime: Math.floor(Date.now() / 1000) } })
      reply.setAccessCookie(signed.accessToken)
      return signed
    })
  } else {
    const denyList: DenyListStore | undefined = options.isSessionRevoked
      ? { add: async () => {}, isRevoked: (sessionId) => revoked(sessionId) }
      : undefined
    await app.register(relyingParty, {
      name: service,
      config: loadConfig(RelyingPartyConfigSchema, env),
      catchUp: options.catchUp ?? false,
      ...(denyList ? { denyList } : {})
    })
  }
  app.get('/me', { onRequest: [app.authenticate] }, async (request) => ({ user: request.user, via: request.authVia }))
  // Step-up: a fresh password sign-in (5 minutes), and a passkey within a minute.
  app.get('/fresh', { onRequest: [app.authenticate, requireStepUp({ acr: ACR_PASSWORD, maxAgeSeconds: 300 })] }, async (request) => ({ user: request.user }))
  app.get('/strong', { onRequest: [app.authenticate], preHandler: [requireStepUp({ acr: ACR_PASSKEY, maxAgeSeconds: 60 })] }, async () => ({ ok: true }))
  app.post('/internal', { onRequest: [app.requireServiceToken('contributions')] }, async (request) => request.serviceCaller)
  app.post('/mint-service', async () => ({ token: await app.signServiceToken({ userId: alice.id, audience: 'bank', scope: 'contributions' }) }))
  t.teardown(() => app.close())
  await app.ready()
  return { app, secret }
}

/** A JWT_KEYS_FILE holding these private JWKs, in a temporary directory. */
export function keysFile (jwks: Array<Record<string, unknown>>): string {
  const file = join(mkdtempSync(join(tmpdir(), 'nestegg-auth-keys-')), 'keys.json')
  writeFileSync(file, JSON.stringify({ keys: jwks }), { mode: 0o600 })
  return file
}
