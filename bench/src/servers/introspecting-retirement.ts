/**
 * Scenario 4, the session-style alternative: retirement's GET /api/me as a service without the
 * shared secret would build it. It holds no key, so on every request it forwards the caller's
 * credential (Cookie or Authorization header, untouched) to the bank's GET /api/me and answers
 * with what the bank says: token introspection. Everything else is as retirement runs it: the
 * platform's Fastify with production logging, request ids and the same response schema.
 * Bench-only: no production code path knows about it.
 */
import { createFastify, healthRoutes } from '@nestegg/platform'
import { Pool } from 'undici'
import { benchServerEnv, exitOnSigterm, USER_VIEW_SCHEMA } from './process-env.js'

const { port, bankUrl } = benchServerEnv()
// Keep-alive connections to the bank, as many as the benchmark opens to us: the alternative at its best.
const bank = new Pool(bankUrl, { connections: Number(process.env.BANK_POOL_CONNECTIONS ?? 64) })

const app = await createFastify({
  logLevel: process.env.LOG_LEVEL ?? 'info',
  pretty: false,
  trustProxy: undefined
})

interface BankUser {
  id: string
  username: string
  name: string
}

app.get('/api/me', { schema: { response: { 200: USER_VIEW_SCHEMA } } }, async (request) => {
  const forwarded: Record<string, string> = { 'x-request-id': String(request.id) }
  if (request.headers.cookie !== undefined) forwarded.cookie = request.headers.cookie
  if (request.headers.authorization !== undefined) forwarded.authorization = request.headers.authorization
  const answer = await bank.request({ method: 'GET', path: '/api/me', headers: forwarded })
  const body = await answer.body.json() as BankUser
  if (answer.statusCode !== 200) {
    // The platform's error handler turns this into the usual {statusCode, code, error, message}.
    throw Object.assign(new Error('Invalid token'), { statusCode: 401, code: 'AUTH_TOKEN_INVALID' })
  }
  return { id: body.id, username: body.username, name: body.name }
})
await app.register(healthRoutes, { ready: async () => {} })

exitOnSigterm(async () => {
  await app.close()
  await bank.close()
})
await app.listen({ port, host: '127.0.0.1' })
