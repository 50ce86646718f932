import t from 'tap'
import Fastify from 'fastify'
import { buildTestApp, loginAs } from './helper.js'

t.test('healthz and readyz answer', async (t) => {
  const { app } = await buildTestApp(t)
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ready' })
})

t.test('readyz is 503 when the database does not answer', async (t) => {
  const { app } = await buildTestApp(t)
  await app.database.db.destroy()
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 503)
})

t.test('readyz stays 200 while a party refuses logout tokens, and names it in the body', async (t) => {
  const party = Fastify({ logger: false })
  party.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}))
  party.post('/internal/backchannel-logout', async (_request, reply) => reply.code(401).send({}))
  t.teardown(() => party.close())
  const { app } = await buildTestApp(t, { RETIREMENT_INTERNAL_URL: await party.listen({ port: 0, host: '127.0.0.1' }) })
  const user = await loginAs(app, 'readyz_rita')
  await app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.bearer, payload: {} })
  await app.logoutNotices.runOnce()
  const response = await app.inject('/readyz')
  t.equal(response.statusCode, 200, 'the bank itself is ready')
  t.match(response.json(), { status: 'ready', warnings: [/^retirement refuses our logout tokens \(401\): its AUTH_MODE or keys differ from the bank's/] })
})
