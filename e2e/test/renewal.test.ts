import { existsSync } from 'node:fs'
import { type BrowserContext, chromium } from 'playwright-core'
import t from 'tap'
import { type LoggedIn, signupAndLogin } from './support/http.js'
import { startStack } from './support/services.js'

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
/** Skipped with a reason locally without Debian's Chromium; in CI (CI=true) its absence is a failure. */
function chromiumMissing (): string | false {
  if (existsSync(CHROMIUM)) return false
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`)
  return `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`
}

const valueOf = (pair: string) => pair.slice(pair.indexOf('=') + 1)

/** Puts the cookies an API login set into the browser, with the attributes the bank gives them. */
async function carryLogin (context: BrowserContext, login: LoggedIn): Promise<void> {
  await context.addCookies([
    { name: 'nestegg_access', value: valueOf(login.cookie), domain: 'localhost', path: '/', httpOnly: true, sameSite: 'Lax' },
    { name: 'nestegg_refresh', value: valueOf(login.refreshCookie), domain: 'localhost', path: '/api/auth/refresh', httpOnly: true, sameSite: 'Strict' }
  ])
}

// Both key modes: renewal does not depend on how tokens are signed.
for (const mode of ['hs256', 'eddsa'] as const) {
  t.test(`${mode}: the browser renews an expired access token at retirement with no password prompt`, { skip: chromiumMissing() }, async (t) => {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']
    })
    t.teardown(() => browser.close())
    const stack = await startStack({ AUTH_MODE: mode })
    t.teardown(() => stack.stop())
    const login = await signupAndLogin(stack.bank.url, `renew_${mode}`)

    const context = await browser.newContext()
    await carryLogin(context, login)
    const page = await context.newPage()
    const visited: string[] = []
    // Every hop of every navigation, redirects included.
    page.on('request', (request) => { if (request.isNavigationRequest()) visited.push(request.url()) })

    await page.goto(`${stack.retirementUrl}/`)
    t.equal(page.url(), `${stack.retirementUrl}/`, 'signed in at retirement')
    t.equal(visited.length, 1, 'no detour while the access token is valid')

    // The browser drops the access cookie when its Max-Age (the token's lifetime) runs out; dropping
    // it here is that moment, without waiting 15 minutes.
    const cookieNames = async () => (await context.cookies()).map((cookie) => cookie.name)
    await context.clearCookies({ name: 'nestegg_access' })
    t.notOk((await cookieNames()).includes('nestegg_access'))

    await page.goto(`${stack.retirementUrl}/`)
    await page.waitForURL(`${stack.retirementUrl}/`)
    t.match(await page.locator('body').innerText(), `renew_${mode} E2E`, 'the page again, signed in, with the name from the new token')
    t.ok(visited.some((url) => url.startsWith(`${stack.bankUrl}/api/auth/refresh?return_to=`)), 'renewed through the bank')
    t.notOk(visited.some((url) => new URL(url).pathname === '/login'), 'never sent to the login page')
    t.ok((await cookieNames()).includes('nestegg_access'), 'a fresh access cookie')
    const rotated = (await context.cookies()).find((cookie) => cookie.name === 'nestegg_refresh')?.value
    t.not(rotated, valueOf(login.refreshCookie), 'the refresh token rotated')

    // Once the session is over, the same detour ends at the bank's login page instead.
    const logout = await fetch(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${login.token}`, 'content-type': 'application/json' }, body: '{}' })
    t.equal(logout.status, 204)
    await context.clearCookies({ name: 'nestegg_access' })
    await page.goto(`${stack.retirementUrl}/`)
    await page.waitForURL((url) => url.pathname === '/login' || url.origin === stack.bankUrl)
    t.equal(new URL(page.url()).pathname, '/login', 'an ended session asks for the password')
    t.equal(new URL(page.url()).searchParams.get('return_to'), `${stack.retirementUrl}/`, 'and will come back here')
  })
}
