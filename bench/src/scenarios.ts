import type { LoadSpec } from './load.js'

export type ServerName = 'bare-fastify' | 'plumbed-fastify' | 'retirement' | 'introspecting-retirement' | 'express-jsonwebtoken' | 'bank'

/** What the runner learned while setting up: where each server is, and a logged-in user. */
export interface BenchContext {
  urls: Record<ServerName, string>
  user: { id: string, username: string, name: string, password: string }
  token: string
  /** The access cookie as a browser sends it back: `name=value`. */
  cookie: string
  /** The user's two accounts, when the bank has accounts (scenario 6). */
  accounts?: { checking: string, savings: string }
  /** A retirement plan of the user's, for contributions (scenario 9). */
  planId?: string
}

export interface Settings {
  durationSeconds: number
  /** Connections for the request/response scenarios. */
  connections: number
  /** Connections for login throughput: argon2 is bounded at the bank, more would only queue. */
  loginConnections: number
  /** Connections for the login storm of scenario 8. */
  floodConnections: number
}

export interface Scenario {
  /** A number, or a number and a letter for a variant (1b). */
  id: string
  title: string
  /** The server under measurement. */
  server: ServerName
  /** Servers whose CPU time one request costs (the measured server, and the bank when it is asked). */
  cpuOf?: ServerName[]
  load: (context: BenchContext, settings: Settings) => LoadSpec
  /** Load that runs alongside, and is not what is measured (scenario 8's login flood). */
  background?: (context: BenchContext, settings: Settings) => LoadSpec
  /** Whether this revision of the product can run the scenario at all. */
  available?: (context: BenchContext) => boolean
  /** Checks one response body before the load, so a scenario never measures errors. */
  expect: (body: unknown, context: BenchContext) => boolean
}

const isMe = (body: unknown, context: BenchContext): boolean =>
  typeof body === 'object' && body !== null && (body as { username?: unknown }).username === context.user.username

function me (url: string, headers: Record<string, string>, settings: Settings): LoadSpec {
  return { url: `${url}/api/me`, headers, connections: settings.connections, durationSeconds: settings.durationSeconds }
}

function loginFlood (context: BenchContext, settings: Settings, connections: number, durationSeconds: number): LoadSpec {
  return {
    url: `${context.urls.bank}/api/auth/login`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: context.user.username, password: context.user.password }),
    connections,
    durationSeconds
  }
}

export const SCENARIOS: Scenario[] = [
  {
    id: '1',
    title: 'Bare Fastify route, same JSON, no auth',
    server: 'bare-fastify',
    load: (c, s) => me(c.urls['bare-fastify'], {}, s),
    expect: (body) => typeof body === 'object' && body !== null && 'username' in body
  },
  {
    id: '1b',
    title: 'The services\' plumbing (request id, access line, headers, cookies, error handler), same JSON, no token',
    server: 'plumbed-fastify',
    load: (c, s) => me(c.urls['plumbed-fastify'], { cookie: c.cookie }, s),
    expect: (body) => typeof body === 'object' && body !== null && 'username' in body
  },
  {
    id: '2',
    title: 'Retirement GET /api/me, token in the cookie',
    server: 'retirement',
    load: (c, s) => me(c.urls.retirement, { cookie: c.cookie }, s),
    expect: isMe
  },
  {
    id: '3',
    title: 'Retirement GET /api/me, Bearer header',
    server: 'retirement',
    load: (c, s) => me(c.urls.retirement, { authorization: `Bearer ${c.token}` }, s),
    expect: isMe
  },
  {
    id: '4',
    title: 'Retirement variant asking the bank on every request (introspection)',
    server: 'introspecting-retirement',
    cpuOf: ['introspecting-retirement', 'bank'],
    load: (c, s) => me(c.urls['introspecting-retirement'], { cookie: c.cookie }, s),
    expect: isMe
  },
  {
    id: '5',
    title: 'Express + jsonwebtoken tutorial server, Bearer header',
    server: 'express-jsonwebtoken',
    load: (c, s) => me(c.urls['express-jsonwebtoken'], { authorization: `Bearer ${c.token}` }, s),
    expect: isMe
  },
  {
    id: '6',
    title: 'Bank POST /api/transfers, a fresh Idempotency-Key each, 1 cent back and forth',
    server: 'bank',
    available: (c) => c.accounts !== undefined,
    load: (c, s) => {
      const { checking, savings } = c.accounts ?? { checking: '', savings: '' }
      const transfer = (from: string, to: string) => ({
        method: 'POST' as const,
        path: '/api/transfers',
        headers: {
          authorization: `Bearer ${c.token}`,
          'content-type': 'application/json',
          'idempotency-key': 'bench-[<id>]'
        },
        body: JSON.stringify({ fromAccountId: from, toAccountId: to, amountCents: 1 })
      })
      // Each connection alternates the two directions, so no balance drifts far.
      const requests = [transfer(checking, savings), transfer(savings, checking)]
      return { url: `${c.urls.bank}/api/transfers`, ...requests[0], requests, idReplacement: true, connections: s.connections, durationSeconds: s.durationSeconds }
    },
    expect: (body) => typeof body === 'object' && body !== null && 'id' in body
  },
  {
    id: '7',
    title: 'Bank POST /api/auth/login, argon2id at OWASP parameters',
    server: 'bank',
    load: (c, s) => loginFlood(c, s, s.loginConnections, s.durationSeconds),
    expect: (body) => typeof body === 'object' && body !== null && 'accessToken' in body
  },
  {
    id: '8',
    title: 'Retirement GET /api/me (cookie) during a login flood at the bank',
    server: 'retirement',
    load: (c, s) => me(c.urls.retirement, { cookie: c.cookie }, s),
    // Outlasts the measured load; the runner stops it as soon as the measurement ends.
    background: (c, s) => loginFlood(c, s, s.floodConnections, s.durationSeconds + 30),
    expect: isMe
  },
  {
    id: '9',
    title: 'Retirement POST /api/contributions, 1 cent from checking, answered completed (the bank debits it inside)',
    server: 'retirement',
    cpuOf: ['retirement', 'bank'],
    available: (c) => c.accounts !== undefined && c.planId !== undefined,
    load: (c, s) => ({
      url: `${c.urls.retirement}/api/contributions`,
      method: 'POST',
      headers: { authorization: `Bearer ${c.token}`, 'content-type': 'application/json', 'idempotency-key': 'bench-c-[<id>]' },
      body: JSON.stringify({ planId: c.planId, fromAccountId: c.accounts?.checking, amountCents: 1 }),
      idReplacement: true,
      // Only 201 is a contribution done end to end; a 202 is still pending.
      countStatus: 201,
      connections: s.connections,
      durationSeconds: s.durationSeconds
    }),
    expect: (body) => typeof body === 'object' && body !== null && (body as { status?: unknown }).status === 'completed'
  }
]
