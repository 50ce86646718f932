import { randomBytes, randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import t from 'tap'
import { serverOptions } from '../src/logger.js'
import { acceptableRequestId, censorUrl } from '../src/log-url.js'

// Issue 16, finding 4: a token in the URL (a query parameter, inside return_to, in the path) or in
// x-request-id was written verbatim in the access line. Services refuse such tokens; logs must not keep them.
const jwt = `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'u', exp: 9e9 })).toString('base64url')}.${randomBytes(32).toString('base64url')}`
const refresh = randomBytes(32).toString('base64url')
const secret = randomBytes(32).toString('hex')

async function allLines (requests: Array<{ url: string, headers?: Record<string, string> }>): Promise<string> {
  const lines: string[] = []
  const options = serverOptions({ level: 'trace', pretty: false })
  const app = Fastify({ ...options, logger: { ...(options.logger as object), stream: { write: (line: string) => { lines.push(line) } } } })
  app.get('/api/things/:id', async () => ({ ok: true }))
  for (const request of requests) await app.inject(request)
  await app.close()
  return lines.join('')
}

t.test('no token in any line, whichever part of the URL or x-request-id carries it', async (t) => {
  const cases = [
    { url: `/api/things/1?access_token=${jwt}` },
    { url: `/api/things/1?${jwt}` },
    { url: `/login?return_to=${encodeURIComponent(`http://localhost:3001/plans?access_token=${jwt}`)}` },
    { url: `/login?return_to=${encodeURIComponent(`/x?refresh=${refresh}`)}` },
    { url: `/api/things/${jwt}` },
    { url: `/api/things/${refresh}` },
    { url: `/nowhere/${refresh}?k=${secret}` },
    { url: '/api/things/1', headers: { 'x-request-id': refresh } },
    { url: '/api/things/1', headers: { 'x-request-id': secret } },
    { url: '/api/things/1', headers: { 'x-request-id': jwt.slice(0, 120) } }
  ]
  const logged = await allLines(cases)
  for (const [name, value] of [['access token', jwt], ['refresh token', refresh], ['secret', secret]]) {
    t.notOk(logged.includes(value ?? ''), `no ${name}`)
  }
  t.notOk(logged.includes(jwt.slice(0, 40)), 'not even part of the access token')
  t.match(logged, /"url":"\/api\/things\/1\?access_token=\[redacted\]"/, 'the rest of the URL is kept')
  t.match(logged, /route not found/, 'the not-found line is censored too')
})

t.test('ordinary URLs and request ids are logged as they are', async (t) => {
  const id = randomUUID()
  t.equal(censorUrl(`/plans/${id}?years=30&annualReturnPct=5`), `/plans/${id}?years=30&annualReturnPct=5`)
  t.equal(censorUrl('/api/auth/refresh?return_to=%2Ftransfer'), '/api/auth/refresh?return_to=%2Ftransfer')
  t.equal(censorUrl(`/api/accounts/${id}/transactions?limit=20&before=0193a1b2c3d4e5f60718293a4b`), `/api/accounts/${id}/transactions?limit=20&before=0193a1b2c3d4e5f60718293a4b`)
  t.ok(acceptableRequestId(id))
  t.ok(acceptableRequestId('trace-123'))
  for (const bad of [refresh, secret, jwt, 'has space', '', undefined]) t.notOk(acceptableRequestId(bad), String(bad).slice(0, 12))
  const logged = await allLines([{ url: `/api/things/${id}`, headers: { 'x-request-id': id } }])
  t.match(logged, `"reqId":"${id}"`, 'a UUID request id travels on')
  t.match(logged, `"url":"/api/things/${id}"`)
})
