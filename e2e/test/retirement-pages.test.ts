import t from 'tap'
import { chromiumMissing, launchBrowser, signUpInBrowser, screenshot, watchConsole } from './support/browser.js'
import { PASSWORD } from './support/http.js'
import { startStack } from './support/services.js'

t.test('a person walks from the bank to retirement and back, in a browser', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t)
  const stack = await startStack({ CONTRIBUTION_WORKER_INTERVAL_MS: '200' })
  t.teardown(() => stack.stop())
  const { bankUrl, retirementUrl } = stack
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } })
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  const problems = watchConsole(page)
  let planUrl = ''

  await t.test('log in at the bank, follow the link, land in retirement logged in', async (t) => {
    await signUpInBrowser(page, bankUrl, 'Robin Saver', 'robin')
    await page.getByRole('link', { name: 'Retirement', exact: true }).click()
    await page.waitForURL(`${retirementUrl}/`)
    t.match(await page.locator('header .who').innerText(), 'Robin Saver')
    t.match(await page.locator('h1').innerText(), 'Your retirement plans')
  })

  await t.test('open a plan, contribute from checking, see the plan grow', async (t) => {
    await page.getByRole('link', { name: 'Open a plan' }).first().click()
    await page.getByRole('radio', { name: /401\(k\)/ }).check()
    await page.getByRole('button', { name: 'Open plan' }).click()
    await page.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
    planUrl = page.url()
    t.equal(await page.locator('#plan-balance').innerText(), '$0.00')
    await page.getByRole('link', { name: 'Contribute to this plan' }).click()
    t.match(await page.locator('#fromAccountId option:checked').innerText(), /Checking ··\d{4} \(\$1,000\.00 available\)/)
    await page.getByLabel('Amount (USD)').fill('5000')
    await page.getByRole('button', { name: 'Contribute' }).click()
    t.match(await page.getByRole('alert').innerText(), /Checking ··\d{4} has \$1,000\.00 available/, 'more than the account has is refused')
    await page.getByLabel('Amount (USD)').fill('250')
    await page.getByRole('button', { name: 'Contribute' }).click()
    await page.waitForURL(/\?contribution=/)
    t.match(await page.locator('#contribution-result').innerText(), 'completed')
    t.equal(await page.locator('#plan-balance').innerText(), '$250.00')
    t.match(await page.locator('table.contributions').innerText(), /Checking ··\d{4}\s+\$250\.00\s+Completed/)
    t.ok(await page.locator('figure.chart svg.chart-full').isVisible(), 'the projection chart is drawn')
    await screenshot(page, 'retirement-plan.png')
    await page.goto(`${retirementUrl}/?monthly=250`)
    t.equal(await page.locator('#total-balance').innerText(), '$250.00')
    await screenshot(page, 'retirement-home.png')
  })

  await t.test('back at the bank, checking fell by the same amount', async (t) => {
    await page.getByRole('link', { name: 'Bank', exact: true }).click()
    await page.waitForURL(`${bankUrl}/`)
    t.equal(await page.locator('[data-account-type="checking"]').innerText(), '$750.00')
  })

  await t.test('logged out, a retirement page sends you to the bank and back to it after login', async (t) => {
    const fresh = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage()
    const freshProblems = watchConsole(fresh)
    await fresh.goto(planUrl)
    // Through the bank (its refresh endpoint finds no session and sends the browser to log in).
    await fresh.waitForURL((url) => url.origin === bankUrl && url.pathname === '/login' && url.searchParams.get('return_to') === planUrl)
    t.equal(await fresh.locator('#continue-to').innerText(), 'Log in to continue to Nestegg Retirement.')
    await screenshot(fresh, 'retirement-login-redirect.png')
    await fresh.getByLabel('Username').fill('robin')
    await fresh.getByLabel('Password').fill(PASSWORD)
    await fresh.getByRole('button', { name: 'Log in' }).click()
    await fresh.waitForURL(planUrl)
    t.equal(await fresh.locator('#plan-balance').innerText(), '$250.00', 'the plan, with no second login')
    t.same(freshProblems, [])
  })

  await t.test('log out from retirement: the bank asks once, then both services are logged out', async (t) => {
    await page.goto(`${retirementUrl}/`)
    await page.getByRole('link', { name: 'Log out' }).click()
    await page.waitForURL(`${bankUrl}/logout`)
    await page.locator('#confirm-logout').click()
    await page.waitForURL(`${bankUrl}/login?logged_out=1`)
    t.match(await page.getByRole('status').innerText(), 'You have been logged out')
    await page.goto(`${retirementUrl}/`)
    await page.waitForURL((url) => url.origin === bankUrl && url.pathname === '/login')
    t.pass('retirement sends a logged-out visitor to log in')
  })

  t.same(problems, [], 'no console errors or CSP violations on any page')
})
