import { createTestDatabase } from '@nestegg/platform/testing'
import { mintAccessToken, randomSecret, type TestUser } from '@nestegg/shared-auth/testing'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { type BuildOptions, buildApp } from '../src/app.js'
import { type Config, loadRetirementConfig } from '../src/config.js'
import { FakeBank } from './fake-bank.js'

export interface TestRetirement {
  app: FastifyInstance
  config: Config
  secret: string
  bank: FakeBank
  clock: TestClock
  /** A Bearer header for a token the bank would have signed for `user`. */
  bearerFor: (user: TestUser) => { authorization: string }
}

export const alice: TestUser = { id: 'u-alice', username: 'alice', name: 'Alice Example' }
export const bob: TestUser = { id: 'u-bob', username: 'bob', name: 'Bob Example' }

/** Time that moves only when a test moves it. */
export interface TestClock {
  (): number
  advance: (ms: number) => void
}

export function testClock (start = Date.UTC(2026, 5, 1, 12)): TestClock {
  let now = start
  const clock = (() => now) as TestClock
  clock.advance = (ms) => { now += ms }
  return clock
}

/**
 * The real retirement service on a database of its own (in-memory SQLite, or a fresh PostgreSQL
 * database when TEST_RETIREMENT_DATABASE_URL names a server), closed when the test ends. The bank
 * is a FakeBank (see fake-bank.ts) and the worker does not poll: tests call runOnce after moving
 * the clock. Pass `build: { bankClient: undefined }` style overrides for the HTTP client. It does not
 * catch up with a bank at start unless `build.catchUp` says so (BANK_INTERNAL_URL is a closed port).
 */
export async function buildTestApp (t: Test, env: Record<string, string> = {}, build: BuildOptions = {}): Promise<TestRetirement> {
  const secret = env.JWT_SECRET ?? randomSecret()
  const database = await createTestDatabase(process.env.TEST_RETIREMENT_DATABASE_URL, t.name)
  const config = loadRetirementConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    CONTRIBUTION_WORKER_INTERVAL_MS: '0',
    BANK_INTERNAL_URL: 'http://127.0.0.1:9',
    ...env,
    JWT_SECRET: secret
  })
  const bank = new FakeBank()
  const clock = testClock()
  const app = await buildApp(config, { logger: false, bankClient: bank, clock, catchUp: false, ...build })
  t.teardown(async () => {
    try { await app.close() } finally { await database.drop() }
  })
  await app.ready()
  return {
    app,
    config,
    secret,
    bank,
    clock,
    bearerFor: (user) => ({ authorization: `Bearer ${mintAccessToken(user, { secret })}` })
  }
}

/** Opens a plan through the API and returns its id. */
export async function openPlan (app: FastifyInstance, headers: Record<string, string>, type = '401k'): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/api/plans', headers, payload: { type } })
  if (response.statusCode !== 201) throw new Error(`open plan: ${response.statusCode} ${response.body}`)
  return response.json().id as string
}

let keys = 0
export function contribute (app: FastifyInstance, headers: Record<string, string>, payload: Record<string, unknown>, key = `key-${++keys}`) {
  return app.inject({ method: 'POST', url: '/api/contributions', headers: { ...headers, 'idempotency-key': key }, payload })
}
