import t from 'tap'
import { buildTestApp } from '../helper.js'

t.test('the route schemas become an OpenAPI 3.1 document, browsable at /docs', async (t) => {
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

t.test('every public route is in it, protected ones say so, internal ones are left out', async (t) => {
  const { app } = await buildTestApp(t)
  const document = (await app.inject('/docs/json')).json()
  t.ok(document.paths['/api/csrf-token']?.get, 'GET /api/csrf-token, which the description tells callers to use')
  t.same(Object.keys(document.components.securitySchemes).sort(), ['bearerAuth', 'cookieAuth'])
  t.same(document.paths['/api/transfers'].post.security, [{ bearerAuth: [] }, { cookieAuth: [] }])
  t.same(document.paths['/api/accounts'].get.security, [{ bearerAuth: [] }, { cookieAuth: [] }])
  t.notOk(document.paths['/api/auth/login'].post.security, 'logging in needs no token')
  t.notOk(document.paths['/api/csrf-token'].get.security)
  t.same(Object.keys(document.paths).filter((path) => path.startsWith('/internal')), [], 'service-to-service routes are not public')
  t.same(Object.keys(document.paths).filter((path) => !path.startsWith('/api/')), [], 'no page is in it')
})
