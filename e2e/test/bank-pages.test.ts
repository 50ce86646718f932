import t from 'tap'
import { PASSWORD, request, signupAndLogin } from './support/http.js'
import { chromiumMissing, launchBrowser, signUpInBrowser, screenshot, watchConsole } from './support/browser.js'
import { startStack } from './support/services.js'

t.test('a person banks in a browser', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t)
  const stack = await startStack()
  t.teardown(() => stack.stop())
  const bank = stack.bankUrl
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage()
  const problems = watchConsole(page)
  const balance = (type: 'checking' | 'savings') => page.locator(`[data-account-type="${type}"]`).innerText()

  // Someone else to pay, through the API.
  const payee = await signupAndLogin(stack.bank.url, 'payee')
  const payeeAccounts = await request(`${stack.bank.url}/api/accounts`, { headers: { authorization: `Bearer ${payee.token}` } })
  const payeeChecking = payeeAccounts.body.find((account: { type: string }) => account.type === 'checking')

  await t.test('sign up, land on the dashboard with the welcome deposit', async (t) => {
    await signUpInBrowser(page, bank, 'Quinn Browser', 'quinn')
    t.match(await page.getByRole('status').innerText(), 'Welcome to Nestegg, Quinn Browser')
    t.match(await page.locator('h1').innerText(), 'Hello, Quinn Browser')
    t.equal(await balance('checking'), '$1,000.00')
    t.equal(await balance('savings'), '$0.00')
    t.match(await page.locator('.history').innerText(), /Welcome deposit/)
  })

  await t.test('transfer between own accounts; both balances change', async (t) => {
    await page.getByRole('link', { name: 'Move money' }).click()
    const savings = await page.locator('#toAccountId option', { hasText: 'Savings' }).getAttribute('value')
    await page.getByLabel('One of your accounts').selectOption(savings ?? '')
    await page.getByLabel('Amount (USD)').fill('125.50')
    await page.getByLabel('Memo').fill('holiday fund')
    await page.getByRole('button', { name: 'Continue' }).click()
    await page.waitForURL(/\/transfers\/[0-9a-f]{26}$/)
    t.match(await page.getByRole('status').innerText(), /You sent \$125\.50 to Savings ··\d{4}/)
    t.match(await page.locator('.summary').innerText(), /holiday fund/)
    await page.getByRole('link', { name: 'Back to your accounts' }).click()
    t.equal(await balance('checking'), '$874.50')
    t.equal(await balance('savings'), '$125.50')
    await screenshot(page, 'bank-dashboard.png')
  })

  await t.test('pay another customer by account number: review, confirm, a confirmation', async (t) => {
    await page.goto(`${bank}/transfer`)
    await page.getByLabel("or another customer's account number").fill(payeeChecking.number)
    await page.getByLabel('Amount (USD)').fill('74.50')
    await page.getByRole('button', { name: 'Continue' }).click()
    t.match(await page.locator('#review-summary').innerText(),
      new RegExp(`^Pay \\$74\\.50 to payee E2E, account ··${payeeChecking.number.slice(-4)}, from Checking ··\\d{4}\\.$`))
    await page.getByRole('button', { name: 'Confirm and pay' }).click()
    await page.waitForURL(/\/transfers\/[0-9a-f]{26}$/)
    t.equal(await page.locator('#new-balance').innerText(), '$800.00')
    await page.goto(`${bank}/`)
    t.equal(await balance('checking'), '$800.00')
    const after = await request(`${stack.bank.url}/api/accounts`, { headers: { authorization: `Bearer ${payee.token}` } })
    t.equal(after.body.find((account: { type: string }) => account.type === 'checking').balanceCents, 100000 + 7450)
  })

  await t.test('a failed transfer shows its error and changes nothing', async (t) => {
    await page.goto(`${bank}/transfer`)
    await page.getByLabel('One of your accounts').selectOption({ label: await page.locator('#toAccountId option', { hasText: 'Savings' }).innerText() })
    await page.getByLabel('Amount (USD)').fill('5000')
    await page.getByRole('button', { name: 'Continue' }).click()
    t.match(await page.getByRole('alert').innerText(), 'Insufficient funds')
    t.equal(await page.getByLabel('Amount (USD)').inputValue(), '5000', 'the form keeps the amount')
    await page.goto(`${bank}/`)
    t.equal(await balance('checking'), '$800.00')
    t.equal(await balance('savings'), '$125.50')
  })

  await t.test('the account page lists the history', async (t) => {
    await page.locator('.account a').filter({ hasText: 'Savings' }).click()
    await page.waitForURL(/\/accounts\//)
    t.match(await page.locator('.history').innerText(), /holiday fund/)
    t.match(await page.locator('.history').innerText(), /\+\$125\.50/)
  })

  await t.test('log out; pages send you to login and back where you were', async (t) => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(`${bank}/login?logged_out=1`)
    t.match(await page.getByRole('status').innerText(), 'You have been logged out')
    await page.goto(`${bank}/transfer`)
    await page.waitForURL(/\/login\?return_to=%2Ftransfer$/)
    await page.getByLabel('Username').fill('quinn')
    await page.getByLabel('Password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Log in' }).click()
    await page.waitForURL(`${bank}/transfer`)
    t.match(await page.locator('h1').innerText(), 'Move money')
    t.match(await page.getByRole('link', { name: 'Retirement' }).getAttribute('href') ?? '', stack.retirementUrl)
  })

  await t.test('the API documentation is browsable at /docs', async (t) => {
    await page.goto(`${bank}/docs`)
    await page.locator('.opblock-summary-path', { hasText: '/api/transfers' }).first().waitFor()
    t.pass('Swagger UI lists POST /api/transfers')
  })

  t.same(problems, [], 'no console errors or CSP violations on any page')
})
