import t from 'tap'
import { signupAndLogin } from './support/http.js'
import { chromiumMissing, launchBrowser, watchConsole } from './support/browser.js'
import { accessClaims, addVirtualAuthenticator, passwordLogin } from './support/passkeys.js'
import { startStack } from './support/services.js'

/**
 * Both services demand a passkey for their step-up rules (STEP_UP_ACR=nestegg:passkey), and
 * retirement asks for one above $100: a password session must go to the bank's step-up page.
 */
t.test('a step-up asked by retirement or by the bank is met with a passkey in the browser', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t)
  const stack = await startStack({ STEP_UP_ACR: 'nestegg:passkey', STEP_UP_CONTRIBUTION_ABOVE_CENTS: '10000' })
  t.teardown(() => stack.stop())
  const bank = stack.bankUrl
  const retirement = stack.retirementUrl
  await signupAndLogin(stack.bank.url, 'sam')
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watchConsole(page)
  await addVirtualAuthenticator(context, page)

  await t.test('register a passkey after a password log-in', async (t) => {
    await passwordLogin(page, bank, 'sam')
    await page.goto(`${bank}/security`)
    await page.getByLabel('Name this passkey').fill('Phone')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.waitForURL(`${bank}/security?added=1`)
    t.equal((await accessClaims(context, bank)).acr, 'nestegg:pwd', 'the session is still at the password level')
  })

  await t.test('a large contribution goes to the bank for a passkey and back to the form as typed', async (t) => {
    await page.goto(`${retirement}/plans/new`)
    await page.getByRole('radio', { name: /401\(k\)/ }).check()
    await page.getByRole('button', { name: 'Open plan' }).click()
    await page.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
    await page.getByRole('link', { name: 'Contribute to this plan' }).click()
    await page.getByLabel('Amount (USD)').fill('150.25')
    await page.getByRole('button', { name: 'Contribute' }).click()

    await page.waitForURL((url) => url.origin === new URL(bank).origin && url.pathname === '/step-up')
    t.match(page.url(), 'acr=nestegg%3Apasskey')
    t.equal(await page.locator('#step-up-password').count(), 0, 'no password form when a passkey is asked')
    await page.getByRole('button', { name: 'Confirm with a passkey' }).click()

    await page.waitForURL((url) => url.origin === new URL(retirement).origin && url.pathname === '/contribute')
    t.equal(await page.getByLabel('Amount (USD)').inputValue(), '150.25', 'the amount typed is still there')
    const claims = await accessClaims(context, bank)
    t.equal(claims.acr, 'nestegg:passkey', 'the session was raised')
    t.same(claims.amr, ['hwk', 'user'])
    await page.getByRole('button', { name: 'Contribute' }).click()
    await page.waitForURL(/\?contribution=/)
    t.equal(await page.locator('#plan-balance').innerText(), '$150.25', 'one contribution, made after the step-up')
  })

  await t.test('removing a passkey from a password session asks for the passkey first', async (t) => {
    await page.goto(`${bank}/`)
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login/)
    await passwordLogin(page, bank, 'sam')
    await page.goto(`${bank}/security`)
    await page.getByRole('button', { name: /Remove/ }).click()
    await page.waitForURL((url) => url.pathname === '/step-up')
    await page.getByRole('button', { name: 'Confirm with a passkey' }).click()
    await page.waitForURL(`${bank}/security`)
    await page.getByRole('button', { name: /Remove/ }).click()
    await page.waitForURL(`${bank}/security?removed=1`)
    t.equal(await page.locator('#no-passkeys').count(), 1)
    await page.goto(`${bank}/security/activity`)
    const activity = await page.locator('main').innerText()
    for (const line of ['Passkey added', 'Passkey removed', 'Confirmed it was you']) t.match(activity, line)
  })

  t.same(problems, [], 'no CSP violation or script error')
})
