import createError from '@fastify/error'
import Fastify from 'fastify'
import t from 'tap'
import { codedError, errorHandlerPlugin, toErrorBody, withHeaders } from '../src/errors.js'

t.test('4xx keep their code and message; 5xx say only Internal Server Error', async (t) => {
  const Conflict = codedError('BANK_X', 'Something conflicts', 409)
  t.same(toErrorBody(new Conflict()), { statusCode: 409, code: 'BANK_X', error: 'Conflict', message: 'Something conflicts' })
  const secretFailure = Object.assign(new Error('db password is hunter2'), { code: 'E_DB' })
  t.same(toErrorBody(secretFailure as never), {
    statusCode: 500, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error'
  })
})

t.test('a coded 503 (a refusal the service chose) keeps its code and message; an uncoded one does not', async (t) => {
  const Unavailable = codedError('RET_SOMETHING_UNAVAILABLE', 'Try again shortly', 503)
  t.same(toErrorBody(new Unavailable()), { statusCode: 503, code: 'RET_SOMETHING_UNAVAILABLE', error: 'Service Unavailable', message: 'Try again shortly' })
  const fault = Object.assign(new Error('pool exhausted at 10.0.0.7'), { statusCode: 503, code: 'ECONNREFUSED' })
  t.same(toErrorBody(fault as never), { statusCode: 503, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error' })
})

t.test('a coded error names its package first; a code without a prefix is refused where it is defined', async (t) => {
  t.throws(() => codedError('conflict', 'Something conflicts', 409), /PREFIX_WHAT/)
  t.throws(() => codedError('CONFLICT', 'Something conflicts', 409), /PREFIX_WHAT/)
  const Throttled = codedError('BANK_SLOW_DOWN', 'Try again in %d seconds', 429)
  const error = new Throttled(7)
  t.same(toErrorBody(error), { statusCode: 429, code: 'BANK_SLOW_DOWN', error: 'Too Many Requests', message: 'Try again in 7 seconds' })
  t.equal(withHeaders(error, { 'retry-after': '7' }), error, 'the same error, now carrying its headers')
})

t.test('the handler sends a 4xx error\'s headers', async (t) => {
  const app = Fastify({ logger: false })
  await app.register(errorHandlerPlugin, {})
  const Throttled = codedError('BANK_SLOW_DOWN', 'Try again in %d seconds', 429)
  app.get('/slow', async () => { throw withHeaders(new Throttled(7), { 'retry-after': '7' }) })
  t.teardown(() => app.close())
  const response = await app.inject('/slow')
  t.equal(response.statusCode, 429)
  t.equal(response.headers['retry-after'], '7')
  t.equal(response.json().code, 'BANK_SLOW_DOWN')
})

t.test('a CSRF refusal sent by @fastify/csrf-protection itself carries the API\'s own code', async (t) => {
  for (const code of ['FST_CSRF_INVALID_TOKEN', 'FST_CSRF_MISSING_SECRET']) {
    const Refusal = createError(code, 'Invalid csrf token', 403)
    t.same(toErrorBody(new Refusal()), {
      statusCode: 403, code: 'CSRF_TOKEN_INVALID', error: 'Forbidden', message: 'Missing or invalid CSRF token'
    }, code)
  }
})

t.test('text PostgreSQL cannot store (a NUL) is the client\'s 400, not a 500', async (t) => {
  for (const code of ['22021', '22P05']) {
    const refused = Object.assign(new Error('invalid byte sequence for encoding "UTF8": 0x00'), { code })
    t.same(toErrorBody(refused as never), {
      statusCode: 400, code: 'INVALID_TEXT', error: 'Bad Request', message: 'Text must not contain NUL characters'
    }, code)
  }
  const other = Object.assign(new Error('numeric value out of range'), { code: '22003' })
  t.equal(toErrorBody(other as never).statusCode, 500, 'other data errors stay failures')
})

t.test('the handler answers JSON and hides 5xx detail', async (t) => {
  const app = Fastify({ logger: false })
  await app.register(errorHandlerPlugin, {})
  app.get('/boom', async () => { throw new Error('stack and secrets') })
  t.teardown(() => app.close())
  const response = await app.inject('/boom')
  t.equal(response.statusCode, 500)
  t.notMatch(response.body, /stack and secrets/)
  const missing = await app.inject('/nope')
  t.equal(missing.statusCode, 404)
  t.equal(missing.json().code, 'NOT_FOUND')
})
