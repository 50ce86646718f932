import { createTestDatabase } from '@nestegg/platform/testing'
import { mintAccessToken, randomSecret, type TestUser } from '@nestegg/shared-auth/testing'
import type { FastifyInstance } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { type Config, loadRetirementConfig } from '../src/config.js'

export interface TestRetirement {
  app: FastifyInstance
  config: Config
  secret: string
  /** A Bearer header for a token the bank would have signed for `user`. */
  bearerFor: (user: TestUser) => { authorization: string }
}

export const alice: TestUser = { id: 'u-alice', username: 'alice', name: 'Alice Example' }
export const bob: TestUser = { id: 'u-bob', username: 'bob', name: 'Bob Example' }

/** The real retirement service on a database of its own (in-memory SQLite, or a fresh PostgreSQL database
 * when TEST_RETIREMENT_DATABASE_URL names a server), closed when the test ends. */
export async function buildTestApp (t: Test, env: Record<string, string> = {}): Promise<TestRetirement> {
  const secret = env.JWT_SECRET ?? randomSecret()
  const database = await createTestDatabase(process.env.TEST_RETIREMENT_DATABASE_URL, t.name)
  const config = loadRetirementConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: database.url,
    ...env,
    JWT_SECRET: secret
  })
  const app = await buildApp(config, { logger: false })
  t.teardown(async () => {
    try { await app.close() } finally { await database.drop() }
  })
  await app.ready()
  return {
    app,
    config,
    secret,
    bearerFor: (user) => ({ authorization: `Bearer ${mintAccessToken(user, { secret })}` })
  }
}
