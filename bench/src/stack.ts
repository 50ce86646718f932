import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { freePort } from '@nestegg/platform/testing'
import { type RunningServer, type ServerSpec, serviceSpec, startServer } from './processes.js'
import type { BenchContext, ServerName } from './scenarios.js'

export const ACCESS_COOKIE = 'nestegg_access'

export interface StackOptions {
  dataDir: string
  /** Servers to start with --cpu-prof. */
  profile: Set<string>
  profileDir: string
  /** Extra settings for bank and retirement (`--env`), applied last. */
  serviceEnv?: Record<string, string>
}

/**
 * Every server the scenarios need, each its own process on 127.0.0.1 with a fresh secret and
 * fresh SQLite files. The two services run as production runs them: compiled JavaScript,
 * NODE_ENV=production, JSON logs at the default level (to a file, as a log shipper would read them).
 */
export async function startStack (options: StackOptions): Promise<Record<ServerName, RunningServer>> {
  const secret = randomBytes(48).toString('base64url')
  const names: ServerName[] = ['bank', 'retirement', 'introspecting-retirement', 'bare-fastify', 'plumbed-fastify', 'express-jsonwebtoken']
  const ports = {} as Record<ServerName, number>
  for (const name of names) ports[name] = await freePort()
  const bankUrl = `http://127.0.0.1:${ports.bank}`
  const service = {
    NODE_ENV: 'production',
    JWT_SECRET: secret,
    BANK_URL: bankUrl,
    RETIREMENT_URL: `http://127.0.0.1:${ports.retirement}`,
    // Long enough to outlast a run: the benchmark logs in once, it does not measure renewal.
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // The login scenarios measure argon2 at the bank, all from 127.0.0.1: lift the per-IP limit on
    // the auth routes (docs/security.md) so they measure logins, not 429s.
    AUTH_RATE_LIMIT_PER_MINUTE: '100000000'
  }
  const specs: Record<ServerName, ServerSpec> = {
    // The services run as their `npm start` runs them: its variables and Node flags included.
    bank: serviceSpec('bank', 'services/bank', {
      ...service,
      DATABASE_URL: `sqlite:${join(options.dataDir, 'bank.db')}`,
      // Scenarios 7 and 8 measure hashing under a storm; every request comes from 127.0.0.1, so
      // the per-IP limit on the auth routes (which a storm from many addresses escapes) is lifted.
      AUTH_RATE_LIMIT_PER_MINUTE: '100000000',
      ...options.serviceEnv
    }),
    retirement: serviceSpec('retirement', 'services/retirement', {
      ...service, DATABASE_URL: `sqlite:${join(options.dataDir, 'retirement.db')}`, ...options.serviceEnv
    }),
    'introspecting-retirement': {
      name: 'introspecting-retirement',
      entry: 'bench/dist/servers/introspecting-retirement.js',
      env: { BANK_URL: bankUrl, NODE_ENV: 'production' }
    },
    'bare-fastify': { name: 'bare-fastify', entry: 'bench/dist/servers/bare-fastify.js', env: { NODE_ENV: 'production' } },
    // Retirement's settings, so its plumbing is configured as retirement's is.
    'plumbed-fastify': { name: 'plumbed-fastify', entry: 'bench/dist/servers/plumbed-fastify.js', env: { ...service } },
    'express-jsonwebtoken': {
      name: 'express-jsonwebtoken',
      entry: 'bench/dist/servers/express-jsonwebtoken.js',
      env: { NODE_ENV: 'production', JWT_SECRET: secret }
    }
  }
  const started = await Promise.allSettled(names.map((name) => startServer(specs[name], {
    port: ports[name],
    logDir: options.dataDir,
    cpuProfileDir: options.profile.has(name) ? options.profileDir : undefined
  })))
  const servers = {} as Record<ServerName, RunningServer>
  const failures: string[] = []
  started.forEach((result, index) => {
    if (result.status === 'fulfilled') servers[names[index] as ServerName] = result.value
    else failures.push((result.reason as Error).message)
  })
  if (failures.length > 0) {
    for (const server of Object.values(servers)) server.process.kill('SIGKILL')
    throw new Error(failures.join('\n'))
  }
  return servers
}

async function postJson (url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

/** Signs up one user at the bank and logs in, as a browser or API client would. */
export async function loginBenchUser (urls: Record<ServerName, string>): Promise<BenchContext> {
  const user = {
    username: `bench_${randomBytes(4).toString('hex')}`,
    name: 'Bench User',
    password: `bench-${randomBytes(12).toString('base64url')}`
  }
  const signup = await postJson(`${urls.bank}/api/auth/signup`, user)
  if (signup.status !== 201) throw new Error(`signup answered ${signup.status}: ${await signup.text()}`)
  const { id } = await signup.json() as { id: string }
  const login = await postJson(`${urls.bank}/api/auth/login`, { username: user.username, password: user.password })
  if (login.status !== 200) throw new Error(`login answered ${login.status}: ${await login.text()}`)
  const { accessToken } = await login.json() as { accessToken: string }
  const cookie = login.headers.getSetCookie().find((line) => line.startsWith(`${ACCESS_COOKIE}=`))?.split(';')[0]
  if (cookie === undefined) throw new Error('login set no access cookie')
  const context: BenchContext = { urls, user: { id, ...user }, token: accessToken, cookie }
  const accounts = await findAccounts(urls.bank, accessToken)
  if (accounts === undefined) return context
  const plan = await fetch(`${urls.retirement}/api/plans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: '401k' })
  })
  if (plan.status !== 201) throw new Error(`opening a plan answered ${plan.status}: ${await plan.text()}`)
  const { id: planId } = await plan.json() as { id: string }
  return { ...context, accounts, planId }
}

/**
 * The user's checking and savings accounts, with savings funded so that transfers can go both ways;
 * undefined when this bank has no accounts API yet.
 */
async function findAccounts (bankUrl: string, token: string): Promise<BenchContext['accounts']> {
  const authorization = `Bearer ${token}`
  const response = await fetch(`${bankUrl}/api/accounts`, { headers: { authorization } })
  if (response.status === 404) return undefined
  if (response.status !== 200) throw new Error(`GET /api/accounts answered ${response.status}: ${await response.text()}`)
  const list = await response.json() as Array<{ id: string, type: string, balanceCents: number }>
  const checking = list.find((account) => account.type === 'checking')
  const savings = list.find((account) => account.type === 'savings')
  if (checking === undefined || savings === undefined) throw new Error(`no checking and savings accounts: ${JSON.stringify(list)}`)
  const seed = Math.floor(checking.balanceCents / 2)
  const funded = await fetch(`${bankUrl}/api/transfers`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': `bench-seed-${randomBytes(8).toString('hex')}` },
    body: JSON.stringify({ fromAccountId: checking.id, toAccountId: savings.id, amountCents: seed })
  })
  if (funded.status !== 201) throw new Error(`funding savings answered ${funded.status}: ${await funded.text()}`)
  return { checking: checking.id, savings: savings.id }
}
