import { createTestDatabase } from '@nestegg/platform/testing'
import { randomSecret } from '@nestegg/shared-auth/testing'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { buildApp } from '../src/app.js'
import { type Config, loadBankConfig } from '../src/config.js'

export const PASSWORD = 'correct horse battery staple'

export interface TestBank {
  app: FastifyInstance
  config: Config
}

/** The real bank on a database of its own (in-memory SQLite, or a fresh PostgreSQL database
 * when TEST_BANK_DATABASE_URL names a server), closed when the test ends. */
export async function buildTestApp (t: Test, env: Record<string, string> = {}): Promise<TestBank> {
  const database = await createTestDatabase(process.env.TEST_BANK_DATABASE_URL, t.name)
  const config = loadBankConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomSecret(),
    DATABASE_URL: database.url,
    ...env
  })
  const app = await buildApp(config, { logger: false })
  t.teardown(async () => {
    try { await app.close() } finally { await database.drop() }
  })
  await app.ready()
  return { app, config }
}

export async function signup (app: FastifyInstance, username: string, name = `${username} Tester`): Promise<{ id: string }> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username, password: PASSWORD, name } })
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`)
  return response.json()
}

export interface LoggedIn {
  id: string
  token: string
  bearer: { authorization: string }
  response: LightMyRequestResponse
}

/** Signs a new user up and logs in, returning the access token and a Bearer header. */
export async function loginAs (app: FastifyInstance, username: string): Promise<LoggedIn> {
  const { id } = await signup(app, username)
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD } })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const token = response.json().accessToken as string
  return { id, token, bearer: { authorization: `Bearer ${token}` }, response }
}
