import Fastify from 'fastify'
import t from 'tap'
import { ACR_PASSKEY, ACR_PASSWORD, redirectedToStepUp, stepUpRedirect, stepUpRequiredError, stepUpReturnTo } from '../src/index.js'

const requirement = { acr: ACR_PASSWORD, maxAgeSeconds: 300 } as const

t.test('the return address: a path of this site, with the form as typed in its query', async (t) => {
  t.equal(stepUpReturnTo({ siteUrl: '', path: '/security/password' }), '/security/password')
  t.equal(stepUpReturnTo({ siteUrl: 'http://ret.test/', path: '/contribute', draft: { amount: '6000.00', memo: 'a & b' } }),
    'http://ret.test/contribute?amount=6000.00&memo=a+%26+b')
  t.equal(stepUpReturnTo({ siteUrl: 'http://ret.test/plans', path: '/contribute' }), 'http://ret.test/plans/contribute', 'under a base path')
})

t.test('an address off this site is neutralised to the home page, with or without a site URL', async (t) => {
  const offSite = ['https://evil.example/steal', '//evil.example/x', '/\\evil.example/x', '\\/evil.example', '\t//evil.example',
    'javascript:alert(1)', 'http:evil.example', 'relative/path', '',
    // Paths that only normalising turns into '//evil.example'.
    '/.//evil.example', '/a/..//evil.example', '/%2e%2e//evil.example', '/./\\evil.example']
  for (const path of offSite) {
    t.equal(stepUpReturnTo({ siteUrl: '', path }), '/', JSON.stringify(path))
    t.equal(stepUpReturnTo({ siteUrl: 'http://ret.test', path, draft: { a: '1' } }), 'http://ret.test/?a=1', `${JSON.stringify(path)} with a site URL`)
  }
})

t.test('the redirect: 303 to the bank\'s step-up page, naming the level, the age and the way back', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  app.get('/bank-page', async (_request, reply) => stepUpRedirect(reply, requirement, { bankUrl: '', siteUrl: '', path: '/transfer', draft: { amount: '5' } }))
  app.get('/other-site', async (_request, reply) => stepUpRedirect(reply, { acr: ACR_PASSKEY, maxAgeSeconds: 60 }, {
    bankUrl: 'http://bank.test/', siteUrl: 'http://ret.test', path: '//evil.example/x'
  }))
  const own = await app.inject({ url: '/bank-page' })
  t.equal(own.statusCode, 303)
  t.equal(own.headers.location, '/step-up?return_to=%2Ftransfer%3Famount%3D5&acr=nestegg%3Apwd&max_age=300')
  const other = await app.inject({ url: '/other-site' })
  t.equal(other.statusCode, 303)
  const location = new URL(other.headers.location as string)
  t.equal(`${location.origin}${location.pathname}`, 'http://bank.test/step-up')
  t.equal(location.searchParams.get('acr'), 'nestegg:passkey')
  t.equal(location.searchParams.get('max_age'), '60')
  t.equal(location.searchParams.get('return_to'), 'http://ret.test/', 'the off-site path never reaches the bank')
})

t.test('redirectedToStepUp: false when the check passes, the redirect and true when it asks for a step-up, other errors thrown', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  const back = { bankUrl: '', siteUrl: '', path: '/form' }
  const checks: Record<string, () => unknown> = {
    met: () => undefined,
    stale: () => { throw stepUpRequiredError(requirement) },
    staleLater: async () => { throw stepUpRequiredError(requirement) },
    broken: () => { throw new Error('database down') }
  }
  let pageWentOn = false
  app.get('/:check', async (request, reply) => {
    const check = checks[(request.params as { check: string }).check] as () => unknown
    pageWentOn = false
    if (await redirectedToStepUp(reply, check, back)) return reply
    pageWentOn = true
    return 'the page itself'
  })
  const met = await app.inject({ url: '/met' })
  t.equal(met.statusCode, 200)
  t.equal(met.body, 'the page itself')
  for (const name of ['stale', 'staleLater']) {
    const stale = await app.inject({ url: `/${name}` })
    t.equal(stale.statusCode, 303, name)
    t.equal(stale.headers.location, '/step-up?return_to=%2Fform&acr=nestegg%3Apwd&max_age=300')
    t.notOk(pageWentOn, `${name}: the page stops at the redirect`)
  }
  const broken = await app.inject({ url: '/broken' })
  t.equal(broken.statusCode, 500, 'not a step-up: the error goes on')
})
