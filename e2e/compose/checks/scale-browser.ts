// The page flow in Chromium through the proxy: the public URLs are nginx's, and every page, form
// post and redirect goes through it to whichever copy it picks.
import type { Test } from 'tap'
import { chromiumMissing, launchBrowser, signUpInBrowser, screenshot, watchConsole } from '../../test/support/browser.js'

export async function scaleBrowserChecks (t: Test, bankUrl: string, retirementUrl: string): Promise<void> {
  await t.test('in Chromium through the proxy: sign up, single sign-on, a contribution, back to the bank', { skip: chromiumMissing() }, async (t) => {
    const browser = await launchBrowser(t)
    const page = await (await browser.newContext({ viewport: { width: 1100, height: 900 } })).newPage()
    page.setDefaultTimeout(15000)
    const problems = watchConsole(page)

    await signUpInBrowser(page, bankUrl, 'Sam Proxy', 'samproxy')
    await page.getByRole('link', { name: 'Retirement', exact: true }).click()
    await page.waitForURL(`${retirementUrl}/`)
    t.match(await page.locator('header .who').innerText(), 'Sam Proxy', 'retirement knows the bank\'s user: no second login')

    await page.getByRole('link', { name: 'Open a plan' }).first().click()
    await page.getByRole('radio', { name: /401\(k\)/ }).check()
    await page.getByRole('button', { name: 'Open plan' }).click()
    await page.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
    await page.getByRole('link', { name: 'Contribute to this plan' }).click()
    await page.getByLabel('Amount (USD)').fill('250')
    await page.getByRole('button', { name: 'Contribute' }).click()
    await page.waitForURL(/\?contribution=/)
    t.match(await page.locator('#contribution-result').innerText(), /completed/i)
    t.equal(await page.locator('#plan-balance').innerText(), '$250.00')
    await screenshot(page, 'compose-scale-plan.png')

    await page.getByRole('link', { name: 'Bank', exact: true }).click()
    await page.waitForURL(`${bankUrl}/`)
    t.equal(await page.locator('[data-account-type="checking"]').innerText(), '$750.00', 'checking fell by the contribution')
    t.same(problems, [], 'no console errors or CSP violations on any page')
  })
}
