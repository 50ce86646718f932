import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { PASSWORD, buildTestApp, loginAs } from '../../helper.js'

const attempt = (ip: string, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/api/auth/login',
  remoteAddress: ip,
  headers,
  payload: { username: `user_${ip.replaceAll('.', '_')}`, password: 'wrong but long enough' }
})

t.test('each IP gets AUTH_RATE_LIMIT_PER_MINUTE requests to an auth route, then 429 with Retry-After', async (t) => {
  const { app } = await buildTestApp(t, { AUTH_RATE_LIMIT_PER_MINUTE: '3' })
  for (let i = 0; i < 3; i++) t.equal((await app.inject(attempt('203.0.113.7'))).statusCode, 401)
  const limited = await app.inject(attempt('203.0.113.7'))
  t.equal(limited.statusCode, 429)
  t.equal(limited.json().code, 'BANK_TOO_MANY_REQUESTS')
  t.ok(Number(limited.headers['retry-after']) > 0, 'Retry-After says when')
  t.equal((await app.inject(attempt('203.0.113.8'))).statusCode, 401, 'another address is not limited')
  const other = await app.inject({ method: 'POST', url: '/api/auth/signup', remoteAddress: '203.0.113.7', payload: {} })
  t.equal(other.statusCode, 400, 'each route counts on its own')
  t.equal((await app.inject({ url: '/api/me', remoteAddress: '203.0.113.7' })).statusCode, 401, 'routes outside /api/auth are not limited')
  t.equal((await app.inject({ url: '/healthz', remoteAddress: '203.0.113.7' })).statusCode, 200)
})

t.test('renewing, changing the password and logging out everywhere are auth routes: limited per IP too', async (t) => {
  const { app } = await buildTestApp(t, { AUTH_RATE_LIMIT_PER_MINUTE: '2' })
  const ann = await loginAs(app, 'ann')
  const ip = '203.0.113.20'
  let logins = 0
  const freshBearer = async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: `198.51.100.${++logins}`, payload: { username: 'ann', password: PASSWORD } })
    return { authorization: `Bearer ${response.json().accessToken as string}` }
  }
  const requests = [
    { method: 'POST' as const, url: '/api/auth/refresh', payload: { refreshToken: 'not-a-refresh-token' } },
    { method: 'GET' as const, url: '/api/auth/refresh' },
    { method: 'POST' as const, url: '/api/auth/password', headers: ann.bearer, payload: { currentPassword: 'not the password at all', newPassword: `${PASSWORD} 2` } },
    // Each call ends every session: log in again before the next, each login from an address of its own.
    { method: 'POST' as const, url: '/api/auth/logout-all', headers: async () => freshBearer() }
  ]
  for (const { headers, ...request } of requests) {
    const answers = []
    for (let i = 0; i < 3; i++) {
      const sent = typeof headers === 'function' ? await headers() : headers
      answers.push((await app.inject({ ...request, ...(sent ? { headers: sent } : {}), remoteAddress: ip })).statusCode)
    }
    t.not(answers[0], 429, `${request.method} ${request.url}: first answered ${answers[0]}`)
    t.not(answers[1], 429, `${request.method} ${request.url}: second answered ${answers[1]}`)
    t.equal(answers[2], 429, `${request.method} ${request.url}: the third from the same address is over the limit`)
  }
})

t.test('without TRUST_PROXY a forged X-Forwarded-For changes nothing', async (t) => {
  const { app } = await buildTestApp(t, { AUTH_RATE_LIMIT_PER_MINUTE: '2' })
  for (let i = 0; i < 2; i++) await app.inject(attempt('198.51.100.1', { 'x-forwarded-for': `192.0.2.${i}` }))
  t.equal((await app.inject(attempt('198.51.100.1', { 'x-forwarded-for': '192.0.2.99' }))).statusCode, 429)
})

t.test('with TRUST_PROXY (a reverse proxy in front) the client address from X-Forwarded-For is counted', async (t) => {
  const { app } = await buildTestApp(t, { AUTH_RATE_LIMIT_PER_MINUTE: '2', TRUST_PROXY: '10.0.0.2' })
  const viaProxy = (client: string) => attempt('10.0.0.2', { 'x-forwarded-for': client })
  for (let i = 0; i < 2; i++) await app.inject(viaProxy('192.0.2.10'))
  t.equal((await app.inject(viaProxy('192.0.2.10'))).statusCode, 429, 'one client behind the proxy is limited')
  t.equal((await app.inject(viaProxy('192.0.2.11'))).statusCode, 401, 'another client behind the same proxy is not')
  const untrusted = await app.inject(attempt('10.0.0.3', { 'x-forwarded-for': '192.0.2.10' }))
  t.equal(untrusted.statusCode, 401, 'a header from an address that is not the proxy is not believed')
})

t.test('AUTH_RATE_LIMIT_STORE=database: two copies of the bank on one database share the per-IP count', async (t) => {
  // In-memory SQLite cannot be shared: use a file, unless the tests run on PostgreSQL.
  const file = `sqlite:${join(mkdtempSync(join(tmpdir(), 'nestegg-ratelimit-')), 'bank.db')}`
  const env = { AUTH_RATE_LIMIT_PER_MINUTE: '3', AUTH_RATE_LIMIT_STORE: 'database' }
  const one = await buildTestApp(t, process.env.TEST_BANK_DATABASE_URL ? env : { ...env, DATABASE_URL: file })
  const two = await buildApp(one.config, { logger: false, backchannel: false })
  try {
    t.equal((await one.app.inject(attempt('192.0.2.50'))).statusCode, 401)
    t.equal((await two.inject(attempt('192.0.2.50'))).statusCode, 401)
    t.equal((await one.app.inject(attempt('192.0.2.50'))).statusCode, 401)
    t.equal((await two.inject(attempt('192.0.2.50'))).statusCode, 429, 'the fourth request, to either copy, is over the limit')
  } finally {
    await two.close()
  }
})

t.test('the log-in form page has the same per-IP limit as the JSON route', async (t) => {
  const { app } = await buildTestApp(t, { AUTH_RATE_LIMIT_PER_MINUTE: '2' })
  const form = () => app.inject({
    method: 'POST', url: '/login', remoteAddress: '203.0.113.77',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ username: 'someone', password: 'wrong but long enough', _csrf: 'x' }).toString()
  })
  await form()
  await form()
  t.equal((await form()).statusCode, 429)
})
