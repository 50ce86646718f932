import t from 'tap'
import { buildTestApp } from './helper.js'

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
