import { createTestDatabase } from '@nestegg/platform/testing'
import { randomSecret } from '@nestegg/shared-auth/testing'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import type { Test } from 'tap'
import { type BuildOptions, buildApp } from '../src/app.js'
import { type Config, loadBankConfig } from '../src/config.js'
import { checkLedger } from '../src/domain/ledger/ledger-check.js'

export const PASSWORD = 'correct horse battery staple'

export interface TestBank {
  app: FastifyInstance
  config: Config
}

/** A clock tests move by hand: session lifetimes are checked against it, never by sleeping. */
export function testClock (start = Date.now()) {
  let now = start
  return { now: () => now, advance: (seconds: number) => { now += seconds * 1000 } }
}

/**
 * The wall clock, `seconds` late until `catchUp()`: a login on it is a sign-in that old, so a step-up
 * rule finds it stale; after catching up, a step-up is fresh, however long the test has run.
 */
export function lateClock (seconds: number) {
  let offset = -seconds * 1000
  return { now: () => Date.now() + offset, catchUp: () => { offset = 0 } }
}

export interface TestBankOptions extends Pick<BuildOptions, 'clock' | 'hashConcurrency' | 'securityRetention'> {
  /** Adds what a test needs (a stand-in route) before the app is ready. */
  beforeReady?: (app: FastifyInstance) => void
}

/**
 * The real bank on a database of its own (in-memory SQLite, or a fresh PostgreSQL database when
 * TEST_BANK_DATABASE_URL names a server), closed when the test ends. The back-channel worker
 * is off (tests call app.logoutNotices.runOnce()) and points at a closed port, never at :3001.
 */
export async function buildTestApp (t: Test, env: Record<string, string> = {}, options: TestBankOptions = {}): Promise<TestBank> {
  const database = await createTestDatabase(process.env.TEST_BANK_DATABASE_URL, t.name)
  const config = loadBankConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: randomSecret(),
    DATABASE_URL: database.url,
    RETIREMENT_INTERNAL_URL: 'http://127.0.0.1:9',
    ...env
  })
  const { beforeReady, ...buildOptions } = options
  const app = await buildApp(config, { logger: false, backchannel: false, ...buildOptions })
  t.teardown(async () => {
    try { await app.close() } finally { await database.drop() }
  })
  beforeReady?.(app)
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
  refreshToken: string
  bearer: { authorization: string }
  response: LightMyRequestResponse
}

/** Signs a new user up and logs in, returning the tokens and a Bearer header. */
export async function loginAs (app: FastifyInstance, username: string): Promise<LoggedIn> {
  const { id } = await signup(app, username)
  return { ...(await login(app, username)), id }
}

/** Logs an existing user in again: a new session. */
export async function login (app: FastifyInstance, username: string, headers: Record<string, string> = {}): Promise<LoggedIn> {
  const response = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: PASSWORD }, headers })
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`)
  const { accessToken: token, refreshToken } = response.json() as { accessToken: string, refreshToken: string }
  const id = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sub as string
  return { id, token, refreshToken, bearer: { authorization: `Bearer ${token}` }, response }
}

export interface AccountJson {
  id: string
  number: string
  type: 'checking' | 'savings'
  name: string
  balanceCents: number
  currency: string
}

/** The user's accounts by type. */
export async function accountsOf (app: FastifyInstance, user: LoggedIn): Promise<{ checking: AccountJson, savings: AccountJson }> {
  const response = await app.inject({ url: '/api/accounts', headers: user.bearer })
  if (response.statusCode !== 200) throw new Error(`accounts failed: ${response.statusCode} ${response.body}`)
  const accounts = response.json() as AccountJson[]
  const byType = (type: string) => {
    const account = accounts.find((candidate) => candidate.type === type)
    if (account === undefined) throw new Error(`no ${type} account`)
    return account
  }
  return { checking: byType('checking'), savings: byType('savings') }
}

let keyCounter = 0
/** A fresh idempotency key. */
export function newKey (): string {
  return `test-key-${process.pid}-${++keyCounter}`
}

/** POST /api/transfers with a Bearer token. */
export async function postTransfer (app: FastifyInstance, user: LoggedIn, body: Record<string, unknown>, key = newKey()): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/transfers', headers: { ...user.bearer, 'idempotency-key': key }, payload: body })
}

/** The ledger invariants on the app's own database; an empty list when they all hold. */
export async function ledgerViolations (app: FastifyInstance): Promise<string[]> {
  return (await checkLedger(app.database)).violations
}
