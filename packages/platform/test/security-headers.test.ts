import Fastify from 'fastify'
import helmet from 'helmet'
import t from 'tap'
import { headersSetBy, securityPlugin } from '../src/security.js'

async function appWithSecurity () {
  const app = Fastify({ logger: false })
  // The platform is the base: its security plugin registers the cookie plugin itself, before any auth.
  await app.register(securityPlugin, { allowedOrigins: ['http://localhost:3000'], csrfCookieName: 'test_csrf', secureCookies: false })
  app.get('/ok', async () => ({ ok: true }))
  app.get('/fails', async () => { throw new Error('boom') })
  app.get('/cacheable', async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send({ ok: true }))
  app.get('/own-policy', async (_request, reply) => reply.header('content-security-policy', "default-src 'self'").send({ ok: true }))
  return app
}

t.test('helmet\'s headers are worked out once, from helmet itself', async (t) => {
  const headers = headersSetBy(helmet({ hsts: false }))
  t.equal(headers['x-content-type-options'], 'nosniff')
  t.equal(headers['x-frame-options'], 'SAMEORIGIN')
  t.match(headers['content-security-policy'], /default-src 'self'/)
  t.notOk('strict-transport-security' in headers, 'an option helmet is given changes what is recorded')
  t.throws(() => headersSetBy((_request, response) => { (response as unknown as { end: () => void }).end?.() }),
    /did not just set headers/, 'a middleware that never calls next is refused')
})

t.test('every response carries the security headers: success, error and not found', async (t) => {
  const app = await appWithSecurity()
  t.teardown(() => app.close())
  for (const url of ['/ok', '/fails', '/nowhere']) {
    const response = await app.inject({ url })
    t.equal(response.headers['x-content-type-options'], 'nosniff', `${url} (${response.statusCode}): nosniff`)
    t.equal(response.headers['x-frame-options'], 'SAMEORIGIN', `${url}: framing refused`)
    t.match(response.headers['content-security-policy'], /default-src 'none'/, `${url}: the strict CSP`)
    t.match(response.headers['content-security-policy'], /frame-ancestors 'none'/)
    t.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin')
    t.notOk(response.headers['strict-transport-security'], 'no HSTS over http')
    t.equal(response.headers['cache-control'], 'no-store', `${url}: no copy kept by a browser or proxy`)
  }
  const ownPolicy = await app.inject({ url: '/own-policy' })
  t.equal(ownPolicy.headers['content-security-policy'], "default-src 'self'", 'a route may still set its own policy')
  const cacheable = await app.inject({ url: '/cacheable' })
  t.equal(cacheable.headers['cache-control'], 'public, max-age=300', 'a route may still allow caching')
})
