import t from 'tap'
import { buildTestApp } from './helper.js'

t.test('healthz and readyz answer; readyz is 503 without a database', async (t) => {
  const { app } = await buildTestApp(t)
  t.same((await app.inject('/healthz')).json(), { status: 'ok' })
  t.same((await app.inject('/readyz')).json(), { status: 'ready' })
  await app.database.db.destroy()
  t.equal((await app.inject('/readyz')).statusCode, 503)
})
