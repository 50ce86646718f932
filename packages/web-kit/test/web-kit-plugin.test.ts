import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFastify, securityPlugin } from '@nestegg/platform'
import fp from 'fastify-plugin'
import t, { type Test } from 'tap'
import { errorText, renderErrorPage, webKitPlugin } from '../src/index.js'

const STYLESHEET = fileURLToPath(new URL('../public/nestegg.css', import.meta.url))

async function build (t: Test, production: boolean, viewsDir: string) {
  const app = await createFastify({ logLevel: 'silent', pretty: false, trustProxy: 'false', logger: false, errors: { renderPage: renderErrorPage } })
  // What the kit needs from shared-auth: a visitor who is not signed in (cookies come with platform's
  // security plugin).
  await app.register(fp(async (auth) => {
    auth.decorate('verifyUserRequest', async () => { throw Object.assign(new Error('no token'), { statusCode: 401 }) })
  }, { name: '@nestegg/shared-auth' }))
  await app.register(securityPlugin, { allowedOrigins: ['http://localhost:3001'], csrfCookieName: 'kit_csrf', secureCookies: false })
  await app.register(webKitPlugin, {
    service: 'retirement',
    product: 'Retirement',
    nav: [{ href: '/', label: 'Plans' }],
    logout: { link: 'http://localhost:3000/logout' },
    settingsUrl: 'http://localhost:3000/settings',
    viewsDir,
    production
  })
  app.get('/hello', { config: { page: true } }, async (_request, reply) => reply.page('hello', { title: 'Hello' }))
  app.get('/ceremony', { config: { page: true } }, async (_request, reply) => reply.page('hello', { title: 'Hello', scripts: ['/assets/ceremony.js'] }))
  t.teardown(() => app.close())
  return app
}

t.test('development reads templates and the stylesheet again on every request', async (t) => {
  const views = mkdtempSync(join(tmpdir(), 'web-kit-views-'))
  t.teardown(() => rmSync(views, { recursive: true, force: true }))
  writeFileSync(join(views, 'hello.eta'), "<% layout('kit:layout') %><p>first</p>")
  const app = await build(t, false, views)
  t.match((await app.inject('/hello')).body, '<p>first</p>')
  writeFileSync(join(views, 'hello.eta'), "<% layout('kit:layout') %><p>second</p>")
  t.match((await app.inject('/hello')).body, '<p>second</p>', 'a template edit shows on reload')

  const backup = join(views, 'nestegg.css.bak')
  copyFileSync(STYLESHEET, backup)
  t.teardown(() => copyFileSync(backup, STYLESHEET))
  const css = await app.inject('/assets/nestegg.css')
  t.equal(css.headers['cache-control'], 'no-cache')
  writeFileSync(STYLESHEET, `${readFileSync(backup, 'utf8')}\n/* edited */\n`)
  t.match((await app.inject('/assets/nestegg.css')).body, '/* edited */', 'a stylesheet edit shows on reload')
})

t.test('production caches the stylesheet for five minutes', async (t) => {
  const views = mkdtempSync(join(tmpdir(), 'web-kit-views-'))
  t.teardown(() => rmSync(views, { recursive: true, force: true }))
  writeFileSync(join(views, 'hello.eta'), "<% layout('kit:layout') %><p>hi</p>")
  const app = await build(t, true, views)
  t.equal((await app.inject('/assets/nestegg.css')).headers['cache-control'], 'public, max-age=300')
  const page = await app.inject('/hello')
  t.match(page.headers['content-security-policy'], "script-src 'none'")
  t.match(page.body, '<title>Hello · Nestegg Retirement</title>')
})

t.test('a page that lists scripts loads them from its own origin; every other page runs none', async (t) => {
  const views = mkdtempSync(join(tmpdir(), 'web-kit-views-'))
  t.teardown(() => rmSync(views, { recursive: true, force: true }))
  writeFileSync(join(views, 'hello.eta'), "<% layout('kit:layout') %><p>hi</p>")
  const app = await build(t, true, views)
  const ceremony = await app.inject('/ceremony')
  t.match(ceremony.headers['content-security-policy'], "script-src 'self'; connect-src 'self'")
  t.notMatch(ceremony.headers['content-security-policy'], 'unsafe-inline')
  t.match(ceremony.body, '<script src="/assets/ceremony.js" defer></script>')
  const plain = await app.inject('/hello')
  t.match(plain.headers['content-security-policy'], "script-src 'none'")
  t.notMatch(plain.body, '<script')
})

t.test('error texts are sentences for people', async (t) => {
  const validation = errorText({ statusCode: 400, code: 'FST_ERR_VALIDATION', error: 'Bad Request', message: 'querystring/years must be integer' })
  t.notMatch(validation.message, /querystring|must be integer/)
  t.match(errorText({ statusCode: 404, code: 'NOT_FOUND', error: 'Not Found', message: 'Route GET /nope not found' }).message, 'There is no page at this address')
  t.equal(errorText({ statusCode: 500, code: 'INTERNAL_ERROR', error: 'Internal Server Error', message: 'Internal Server Error' }).heading, 'Something went wrong')
  t.equal(errorText({ statusCode: 409, code: 'BANK_INSUFFICIENT_FUNDS', error: 'Conflict', message: 'Insufficient funds' }).message, 'Insufficient funds')
})
