import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('the route schemas become an OpenAPI document, browsable at /docs', async (t) => {
  const { app } = await buildTestApp(t)
  const document = (await app.inject('/docs/json')).json()
  t.equal(document.openapi, '3.1.0')
  t.ok(document.paths['/api/accounts'].get)
  t.ok(document.paths['/api/accounts/{id}/transactions'].get)
  const transfer = document.paths['/api/transfers'].post
  t.ok(transfer.parameters.some((p: { in: string, name: string, required: boolean }) => p.in === 'header' && p.name === 'idempotency-key' && p.required))
  t.same(Object.keys(transfer.responses).sort(), ['201', '400', '401', '403', '404', '409', '422'])
  t.notOk(document.paths['/healthz'], 'health routes stay out of it')
  const ui = await app.inject('/docs/')
  t.equal(ui.statusCode, 200)
  t.match(ui.headers['content-type'], /text\/html/)
  t.match(ui.headers['content-security-policy'], /default-src 'none'/)
})
