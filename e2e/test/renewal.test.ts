import t from 'tap'
import { chromiumMissing, launchBrowser } from './support/browser.js'
import { PASSWORD, request } from './support/http.js'
import { startStack } from './support/services.js'

// Both key modes: renewal does not depend on how tokens are signed.
for (const mode of ['hs256', 'eddsa'] as const) {
  t.test(`${mode}: the browser renews an expired access token at both services with no password prompt`, { skip: chromiumMissing() }, async (t) => {
    const browser = await launchBrowser(t)
    const stack = await startStack({ AUTH_MODE: mode })
    t.teardown(() => stack.stop())
    const username = `renew_${mode}`
    const signup = await request(`${stack.bank.url}/api/auth/signup`, { method: 'POST', json: { username, password: PASSWORD, name: `${username} E2E` } })
    t.equal(signup.status, 201)

    const context = await browser.newContext()
    const page = await context.newPage()
    await page.goto(`${stack.bankUrl}/login`)
    await page.getByLabel('Username').fill(username)
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in', exact: true }).click()
    await page.waitForURL(`${stack.bankUrl}/`)
    const refreshCookie = async () => (await context.cookies()).find((cookie) => cookie.name === 'nestegg_refresh')
    const first = await refreshCookie()
    t.match(first, { path: '/api/auth/refresh', httpOnly: true, sameSite: 'Strict' }, 'the login page set the refresh cookie')

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
    t.not((await refreshCookie())?.value, first?.value, 'the refresh token rotated')

    // At the bank: a page load with an expired access token renews on the way, too.
    await context.clearCookies({ name: 'nestegg_access' })
    await page.goto(`${stack.bankUrl}/sessions`)
    await page.waitForURL(`${stack.bankUrl}/sessions`)
    t.match(await page.locator('h1').innerText(), 'Your sessions', 'the bank page, renewed on load')
    t.match(await page.locator('table').innerText(), /Chrome on Linux \(this browser\)/, 'the sessions page knows this browser')
    t.notOk(visited.some((url) => new URL(url).pathname === '/login'), 'still never sent to the login page')

    // Log out of all sessions from that page: now the same detour ends at the login page.
    await page.getByRole('button', { name: 'Log out of all sessions' }).click()
    await page.waitForURL(`${stack.bankUrl}/login?logged_out=1`)
    await page.goto(`${stack.retirementUrl}/`)
    await page.waitForURL((url) => url.pathname === '/login')
    t.equal(page.url().split('?')[0], `${stack.bankUrl}/login`, 'an ended session asks for the password')
    t.equal(new URL(page.url()).searchParams.get('return_to'), `${stack.retirementUrl}/`, 'and will come back here')
  })
}
