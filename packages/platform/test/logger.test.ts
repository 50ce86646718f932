import Fastify from 'fastify'
import t from 'tap'
import { serverOptions } from '../src/logger.js'

async function logLinesOf (level: string): Promise<Array<Record<string, any>>> {
  const lines: Array<Record<string, any>> = []
  const options = serverOptions({ level, pretty: false })
  const stream = { write: (line: string) => { lines.push(JSON.parse(line)) } }
  const app = Fastify({ ...options, logger: { ...(options.logger as object), stream } })
  app.get('/hello', async () => ({ ok: true }))
  await app.inject({ url: '/hello?page=2', headers: { 'x-request-id': 'trace-123', cookie: 'nestegg_access=very-secret-token' } })
  await app.close()
  return lines.filter((line) => line.reqId === 'trace-123')
}

t.test('at info, one access line per request, written when it completes, with the request and the status', async (t) => {
  const lines = await logLinesOf('info')
  t.equal(lines.length, 1)
  const [line] = lines
  t.equal(line?.msg, 'request completed')
  t.equal(line?.level, 30)
  t.same(line?.req, { method: 'GET', url: '/hello?page=2', host: 'localhost:80', remoteAddress: '127.0.0.1' }, 'method, url and address')
  t.equal(line?.res.statusCode, 200)
  t.type(line?.responseTime, 'number')
  t.notMatch(JSON.stringify(lines), /very-secret-token/)
})

t.test('at debug, the arrival is logged too', async (t) => {
  const lines = await logLinesOf('debug')
  t.same(lines.map((line) => line.msg), ['incoming request', 'request completed'])
})
