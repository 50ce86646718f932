import t from 'tap'
import { chromiumMissing, launchBrowser, signUpInBrowser, watchConsole } from './support/browser.js'
import { PASSWORD, request } from './support/http.js'
import { type Enctype, OTHER_SITE_ARGS, startOtherSite } from './support/other-site.js'
import { startStack } from './support/services.js'

// Issue 16, findings 1 and 2: another site can make the browser post forms and follow links to both
// services, but never with the SameSite=Strict refresh cookie nor (posting) the Lax access cookie.
// Whatever it sends, the session lives on, unforked, and nothing changes.
t.test('another site can neither end, fork nor change a session, and its links land signed in', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t, OTHER_SITE_ARGS)
  const other = await startOtherSite(t)
  const stack = await startStack()
  t.teardown(() => stack.stop())
  const { bankUrl, retirementUrl } = stack
  const context = await browser.newContext()
  const page = await context.newPage()
  page.setDefaultTimeout(20000)
  const problems = watchConsole(page)
  const visited: string[] = []
  // Every page the browser opens (its GET navigations, redirects included; not the forged posts).
  page.on('request', (r) => { if (r.isNavigationRequest() && r.method() === 'GET') visited.push(r.url()) })

  await signUpInBrowser(page, bankUrl, 'Wendy Webmail', 'wendy')
  await page.goto(`${retirementUrl}/plans/new`)
  await page.getByRole('radio', { name: /401\(k\)/ }).check()
  await page.getByRole('button', { name: 'Open plan' }).click()
  await page.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
  const planId = new URL(page.url()).pathname.split('/').pop() ?? ''

  const cookie = async (name: string) => (await context.cookies()).find((c) => c.name === name)?.value ?? ''
  const sessionOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()).sid as string
  const sessionId = sessionOf(await cookie('nestegg_access'))
  const state = async () => {
    const headers = { cookie: `nestegg_access=${await cookie('nestegg_access')}` }
    const accounts = await request(`${bankUrl}/api/accounts`, { headers })
    const sessions = await request(`${bankUrl}/api/sessions`, { headers })
    const plans = await request(`${retirementUrl}/api/plans`, { headers })
    return {
      balances: (accounts.body as Array<{ id: string, balanceCents: number }>).map((a) => [a.id, a.balanceCents]),
      sessions: (sessions.body as Array<{ id: string }>).map((s) => s.id),
      plans: plans.body as unknown[]
    }
  }
  const before = await state()
  t.same(before.sessions, [sessionId], 'one session to begin with')
  const checking = (before.balances[0] ?? [''])[0] as string

  const forms: Array<[string, Record<string, string>]> = [
    [`${bankUrl}/api/auth/refresh`, {}],
    [`${bankUrl}/api/auth/logout`, {}],
    [`${bankUrl}/api/auth/logout-all`, {}],
    [`${bankUrl}/api/auth/password`, { currentPassword: PASSWORD, newPassword: 'a whole new passphrase' }],
    [`${bankUrl}/api/auth/login`, { username: 'mallory', password: PASSWORD }],
    [`${bankUrl}/api/auth/signup`, { username: 'mallory', password: PASSWORD, name: 'Mallory' }],
    [`${bankUrl}/api/transfers`, { fromAccountId: checking, toAccountNumber: '9000000019', amountCents: '100' }],
    [`${bankUrl}/logout`, { _csrf: 'forged' }],
    [`${bankUrl}/login`, { username: 'mallory', password: PASSWORD, _csrf: 'forged' }],
    [`${bankUrl}/signup`, { name: 'Mallory', username: 'mallory', password: PASSWORD, _csrf: 'forged' }],
    [`${bankUrl}/transfer`, { fromAccountId: checking, toAccountNumber: '9000000019', amount: '1.00', idempotencyKey: 'forged-key-1', _csrf: 'forged' }],
    [`${bankUrl}/sessions/${sessionId}/logout`, { _csrf: 'forged' }],
    [`${bankUrl}/sessions/logout-all`, { _csrf: 'forged' }],
    [`${bankUrl}/internal/contributions`, { fromAccountId: checking, amountCents: '100' }],
    [`${retirementUrl}/plans/new`, { type: 'roth_ira', _csrf: 'forged' }],
    [`${retirementUrl}/contribute`, { planId, fromAccountId: checking, amount: '1.00', _csrf: 'forged' }],
    [`${retirementUrl}/api/plans`, { type: 'roth_ira' }],
    [`${retirementUrl}/api/contributions`, { planId, fromAccountId: checking, amountCents: '100' }],
    [`${retirementUrl}/internal/backchannel-logout`, { logout_token: 'forged' }]
  ]
  // Every route as a plain form; the ones that end sessions or move money in the other two encodings too.
  const everyEncoding = /refresh|logout|transfer|contribute/
  for (const [action, fields] of forms) {
    const enctypes: Enctype[] = everyEncoding.test(action)
      ? ['application/x-www-form-urlencoded', 'text/plain', 'multipart/form-data']
      : ['application/x-www-form-urlencoded']
    for (const enctype of enctypes) {
      const name = `${new URL(action).port === new URL(bankUrl).port ? 'bank' : 'retirement'} POST ${new URL(action).pathname} as ${enctype}`
      const query = new URLSearchParams({ action, enctype, fields: JSON.stringify(fields) })
      await page.goto(`${other.url}/post?${query}`)
      await page.getByRole('button', { name: 'Win a prize' }).click()
      // Wherever the browser ends up (a JSON refusal, or the page, signed in after a same-site relay).
      await page.waitForURL((url) => !url.href.startsWith(other.url) && !url.searchParams.has('return_to'))
      await page.waitForLoadState()
      const access = await cookie('nestegg_access')
      t.ok(access !== '' && (await cookie('nestegg_refresh')) !== '', `${name}: both cookies kept`)
      t.equal(access === '' ? '' : sessionOf(access), sessionId, `${name}: still the same session`)
    }
  }
  t.notOk(visited.some((url) => new URL(url).pathname === '/login'), 'never sent to the login page')
  t.same(await state(), before, 'no money moved, no plan opened, no session ended or started')

  for (const [where, target, signedIn] of [
    ['bank', `${bankUrl}/`, /Wendy Webmail/],
    ['retirement', `${retirementUrl}/`, /Wendy Webmail/]
  ] as const) {
    await t.test(`a link from the other site to the ${where}, after the access token expired, lands signed in`, async (t) => {
      // The browser drops the access cookie when its Max-Age (the token's lifetime) runs out.
      await context.clearCookies({ name: 'nestegg_access' })
      const from = visited.length
      await page.goto(`${other.url}/link?href=${encodeURIComponent(target)}`)
      await page.getByRole('link', { name: 'Your statement is ready' }).click()
      await page.waitForURL(target)
      t.match(await page.locator('header .who').innerText(), signedIn, 'signed in, by name')
      const hops = visited.slice(from).map((url) => new URL(url))
      t.ok(hops.some((url) => url.searchParams.get('relayed') === '1'), 'through the same-site relay')
      t.notOk(hops.some((url) => url.pathname === '/login'), 'never through the login page')
      t.equal(sessionOf(await cookie('nestegg_access')), sessionId, 'the same session, renewed')
    })
  }
  t.same((await state()).sessions, [sessionId], 'still exactly one session')
  t.same(problems, [], 'no CSP violation or script error')
})
