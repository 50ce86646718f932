import Fastify from 'fastify'
import t from 'tap'
import { prettyFactory } from 'pino-pretty'
import { PRETTY_OPTIONS, serverOptions } from '../src/logger.js'

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

t.test('in development (pretty) mode a request is one line: message, method, url, status and time', async (t) => {
  const [line] = await logLinesOf('info')
  const printed = prettyFactory({ ...PRETTY_OPTIONS, colorize: false })(line)
  t.equal(printed.trimEnd().split('\n').length, 1, printed)
  t.match(printed, /INFO.*request completed GET \/hello\?page=2 200 \d+(\.\d+)? ms$/m)
  t.notMatch(printed, /trace-123|remoteAddress/, 'the request id and the raw objects stay in the JSON logs')
})

t.test('at debug, the arrival is logged too', async (t) => {
  const lines = await logLinesOf('debug')
  t.same(lines.map((line) => line.msg), ['incoming request', 'request completed'])
})

async function linesLogging (log: (app: ReturnType<typeof Fastify>) => void): Promise<string> {
  const lines: string[] = []
  const options = serverOptions({ level: 'info', pretty: false })
  const stream = { write: (line: string) => { lines.push(line) } }
  const app = Fastify({ ...options, logger: { ...(options.logger as object), stream } })
  log(app)
  await app.close()
  return lines.join('')
}

t.test('passwords, tokens and credential headers are censored wherever a log line carries them', async (t) => {
  const output = await linesLogging((app) => {
    app.log.info({ password: 'top-level-password-1' }, 'top level')
    app.log.info({ body: { username: 'alice', password: 'nested-password-22', newPassword: 'new-password-333' } }, 'in a body')
    app.log.info({ tokens: { accessToken: 'access-token-4444', refreshToken: 'refresh-token-55555', token: 'bare-token-666666' } }, 'tokens')
    app.log.info({ req: { method: 'GET', headers: { authorization: 'Bearer header-token-7777777', cookie: 'nestegg_access=cookie-token-88888888' } } }, 'a raw request')
    app.log.info({ headers: { 'set-cookie': 'nestegg_access=set-cookie-token-999999999' } }, 'response headers')
    app.log.info({ err: Object.assign(new TypeError('refused', { cause: new Error('inner cause') }), { token: 'error-token-0000000000' }) }, 'an error carrying a token')
    // What @fastify/formbody and Fastify's query parser hand over: objects of their own prototype.
    class Empty {}
    app.log.info({ body: Object.assign(new Empty(), { username: 'alice', password: 'form-password-1111111' }) }, 'a form body')
    app.log.child({ headers: { authorization: 'Bearer child-binding-token-2222222' } }).info('a child logger')
  })
  for (const secret of ['top-level-password-1', 'nested-password-22', 'new-password-333', 'access-token-4444', 'refresh-token-55555',
    'bare-token-666666', 'header-token-7777777', 'cookie-token-88888888', 'set-cookie-token-999999999', 'error-token-0000000000',
    'form-password-1111111', 'child-binding-token-2222222']) {
    t.notOk(output.includes(secret), `${secret} is not in the log`)
  }
  const lines = output.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>)
  t.equal(lines[1]?.body.password, '[redacted]', 'the field stays, its value is censored')
  t.equal(lines[1]?.body.username, 'alice', 'what is not secret is logged as given')
  t.equal(lines[3]?.req.method, 'GET')
  t.equal(lines[5]?.err.message, 'refused: inner cause', 'an error keeps its message and its cause')
  t.equal(lines[5]?.err.type, 'TypeError', 'and its class')
  t.match(lines[5]?.err.stack, /refused/, 'and its stack')
  t.equal(lines[6]?.body.username, 'alice', 'a form body is logged')
  t.equal(lines[6]?.body.password, '[redacted]', 'with its password censored')
  t.equal(lines[7]?.headers.authorization, '[redacted]', 'a child logger\'s bindings are censored too')
})

t.test('a line with nothing secret is logged as given, not copied', async (t) => {
  const { censorSecrets } = await import('../src/logger.js')
  const object = { user: { id: 'u1', name: 'Alice' }, responseTime: 3 }
  t.equal(censorSecrets(object), object, 'the same object comes back')
  const secret = { user: { id: 'u1', password: 'x' } }
  const censored = censorSecrets(secret)
  t.not(censored, secret, 'a copy when something is censored')
  t.equal(secret.user.password, 'x', 'the caller\'s object is left untouched')
})
