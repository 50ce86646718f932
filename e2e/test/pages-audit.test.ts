import type { BrowserContext, Page } from 'playwright-core'
import t from 'tap'
import { chromiumMissing, launchBrowser, signUpInBrowser, watchConsole } from './support/browser.js'
import { PASSWORD, request, signupAndLogin } from './support/http.js'
import { readmeScreenshot, seriousAxeViolations, sidewaysOverflow, smallestChartText, tabTo } from './support/page-audit.js'
import { startStack } from './support/services.js'

const DESKTOP = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }

/**
 * Every page of both services, logged out and logged in with data, at desktop and phone widths:
 * no axe finding of serious or critical impact, no sideways scrolling on a phone, chart text of at
 * least 11 px. It writes the README's screenshots. One browser, one stack: browsers are slow here.
 */
t.test('every page of both services passes axe, fits a phone, and the README shows them', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t)
  const stack = await startStack({ CONTRIBUTION_WORKER_INTERVAL_MS: '200' })
  t.teardown(() => stack.stop())
  const { bankUrl, retirementUrl } = stack
  const payee = await signupAndLogin(stack.bank.url, 'pat')
  const payeeAccounts = await request(`${stack.bank.url}/api/accounts`, { headers: { authorization: `Bearer ${payee.token}` } })
  const payeeNumber: string = payeeAccounts.body.find((account: { type: string }) => account.type === 'checking').number

  const desktop = await browser.newContext({ viewport: DESKTOP })
  const page = await desktop.newPage()
  page.setDefaultTimeout(20000)
  const problems = watchConsole(page)
  const findings: Record<string, unknown> = {}

  /** axe on the page as it stands, and at phone width the page's width and its charts' text. */
  async function audit (target: Page, label: string, phone = false): Promise<void> {
    const violations = await seriousAxeViolations(target)
    if (violations.length > 0) findings[`${label} axe`] = violations
    if (phone) {
      const overflow = await sidewaysOverflow(target)
      if (overflow > 0) findings[`${label} scrolls sideways by`] = overflow
      const smallest = await smallestChartText(target)
      if (smallest < 11) findings[`${label} chart text px`] = smallest
    }
  }
  async function visit (target: Page, url: string, label: string, phone = false): Promise<void> {
    await target.goto(url)
    await audit(target, label, phone)
  }

  const loggedOut = [
    [`${bankUrl}/login`, 'bank login'],
    [`${bankUrl}/login?return_to=${encodeURIComponent(`${retirementUrl}/`)}`, 'bank login for retirement'],
    [`${bankUrl}/login?logged_out=1`, 'bank logged out'],
    [`${bankUrl}/signup`, 'bank signup'],
    [`${bankUrl}/login/recovery`, 'bank recovery-code login'],
    [`${bankUrl}/nope`, 'bank 404'],
    [`${retirementUrl}/nope`, 'retirement 404']
  ] as const
  const phoneOut = await (await browser.newContext({ viewport: PHONE })).newPage()
  for (const [url, label] of loggedOut) {
    await visit(page, url, `${label} (logged out)`)
    await visit(phoneOut, url, `${label} (logged out, phone)`, true)
  }

  // Data, made through the pages themselves (each step audited as it stands).
  await signUpInBrowser(page, bankUrl, 'Avery Audit', 'avery')
  await audit(page, 'bank dashboard with welcome')
  await page.goto(`${bankUrl}/transfer`)
  await page.getByLabel('One of your accounts').selectOption({ label: await page.locator('#toAccountId option', { hasText: 'Savings' }).innerText() })
  await page.getByLabel("or another customer's account number").fill(payeeNumber)
  await page.getByLabel('Amount (USD)').fill('20')
  await page.getByRole('button', { name: 'Continue' }).click()
  await audit(page, 'transfer refused: both an own account and a number')
  await page.getByLabel('One of your accounts').selectOption('')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.locator('#review-summary').waitFor()
  await audit(page, 'transfer review')
  await page.getByRole('button', { name: 'Confirm and pay' }).click()
  await page.waitForURL(/\/transfers\/[0-9a-f]{26}$/)
  const receiptUrl = page.url()
  await page.goto(`${bankUrl}/transfer`)
  await page.getByLabel('One of your accounts').selectOption({ label: await page.locator('#toAccountId option', { hasText: 'Savings' }).innerText() })
  await page.getByLabel('Amount (USD)').fill('125.50')
  await page.getByLabel('Memo').fill('holiday fund')
  await page.getByRole('button', { name: 'Continue' }).click()
  await page.waitForURL(/\/transfers\//)
  await page.goto(`${bankUrl}/settings`)
  await page.getByLabel('Time zone').selectOption('America/New_York')
  await page.getByRole('button', { name: 'Save' }).click()
  await page.waitForURL(`${bankUrl}/settings?saved=1`)
  await audit(page, 'settings saved')

  await page.goto(`${retirementUrl}/plans/new`)
  const radios = await page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('input[type="radio"]')).map((radio) => {
    const text = radio.nextElementSibling as HTMLElement
    return { gap: text.getBoundingClientRect().left - radio.getBoundingClientRect().right, weight: getComputedStyle(radio.closest('label') as HTMLElement).fontWeight }
  }))
  t.ok(radios.length === 3 && radios.every((radio) => radio.gap >= 0 && radio.gap < 24), `each radio sits beside its label (${JSON.stringify(radios)})`)
  t.ok(radios.every((radio) => radio.weight === '400'), 'the choices are not bold')
  await page.getByRole('button', { name: 'Open plan' }).click()
  await page.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
  const planUrl = page.url()
  await page.getByRole('link', { name: 'Contribute to this plan' }).click()
  await page.getByLabel('Amount (USD)').fill('5000')
  await page.getByRole('button', { name: 'Contribute' }).click()
  await page.getByRole('alert').waitFor()
  await audit(page, 'contribution refused: over the available balance')
  await page.getByLabel('Amount (USD)').fill('250')
  await page.getByRole('button', { name: 'Contribute' }).click()
  await page.waitForURL(/\?contribution=/)
  const contributedUrl = page.url()
  t.match(await page.locator('table.contributions').innerText(), /Checking ··\d{4}/, 'the account by name and last digits')
  t.match(await page.locator('table.contributions').innerText(), /(EST|EDT)/, 'times in the customer\'s zone at retirement too')

  const loggedIn = [
    [`${bankUrl}/`, 'bank dashboard'],
    [`${bankUrl}/transfer`, 'bank transfer form'],
    [receiptUrl, 'bank transfer confirmation'],
    [`${bankUrl}/sessions`, 'bank sessions'],
    [`${bankUrl}/settings`, 'bank settings'],
    [`${bankUrl}/security`, 'bank security (passkeys, recovery codes)'],
    [`${bankUrl}/logout`, 'bank log-out question'],
    [`${bankUrl}/nope`, 'bank 404 signed in'],
    [`${retirementUrl}/?monthly=250`, 'retirement home'],
    [`${retirementUrl}/plans/new`, 'retirement open a plan'],
    [contributedUrl, 'retirement plan after a contribution'],
    [`${planUrl}?years=abc&monthly=100%20dollars`, 'retirement projection with wrong input'],
    [`${retirementUrl}/contribute`, 'retirement contribute'],
    [`${retirementUrl}/nope`, 'retirement 404 signed in']
  ] as const
  const accountLink = await (async () => { await page.goto(`${bankUrl}/`); return page.locator('.account a').first().getAttribute('href') })()
  const phone = await (await browser.newContext({ viewport: PHONE, storageState: await desktop.storageState() })).newPage()
  for (const [url, label] of [...loggedIn, [`${bankUrl}${accountLink ?? '/'}`, 'bank account history'] as const]) {
    await visit(page, url, label)
    await visit(phone, url, `${label} (phone)`, true)
  }

  await page.goto(`${bankUrl}/sessions`)
  const wrapped = await page.evaluate(() => Array.from(document.querySelectorAll('.sessions button')).filter((button) => {
    const range = document.createRange()
    range.selectNodeContents(button.firstChild as Node)
    return range.getClientRects().length > 1
  }).length)
  t.equal(wrapped, 0, 'no session button wraps at 1280 px')

  t.same(findings, {}, 'no serious or critical axe finding, no sideways scroll, chart text >= 11 px, on every page')

  // The README's screenshots, from this run.
  await page.goto(`${bankUrl}/`)
  await readmeScreenshot(page, 'bank-dashboard.png')
  await page.goto(`${retirementUrl}/?monthly=250`)
  await readmeScreenshot(page, 'retirement-home.png')
  await page.goto(contributedUrl)
  await readmeScreenshot(page, 'retirement-plan.png')
  await phone.goto(`${bankUrl}/`)
  await readmeScreenshot(phone, 'bank-dashboard-phone.png')
  await phone.goto(contributedUrl)
  await readmeScreenshot(phone, 'retirement-plan-phone.png')

  await t.test('keyboard only: log in, transfer, go to retirement, contribute', async (t) => {
    await signupAndLogin(stack.bank.url, 'kim')
    const context: BrowserContext = await browser.newContext({ viewport: DESKTOP })
    const keys = await context.newPage()
    keys.setDefaultTimeout(20000)
    const keyProblems = watchConsole(keys)
    await keys.goto(`${bankUrl}/login`)
    await keys.keyboard.press('Tab')
    t.equal(await keys.evaluate(() => document.activeElement?.textContent), 'Skip to main content', 'the first Tab reaches the skip link')
    await tabTo(keys, 'the username field', (element) => element.id === 'username')
    await keys.keyboard.type('kim')
    await tabTo(keys, 'the password field', (element) => element.id === 'password')
    await keys.keyboard.type(PASSWORD)
    await keys.keyboard.press('Enter')
    await keys.waitForURL(`${bankUrl}/`)

    await tabTo(keys, 'the Transfer link', (element) => element.tag === 'a' && element.text === 'Transfer')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(`${bankUrl}/transfer`)
    await tabTo(keys, 'the own-account select', (element) => element.id === 'toAccountId')
    await keys.keyboard.press('s')
    await tabTo(keys, 'the amount field', (element) => element.id === 'amount')
    await keys.keyboard.type('10')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(/\/transfers\//)
    t.match(await keys.getByRole('status').innerText(), /You sent \$10\.00 to Savings/)

    await tabTo(keys, 'the Retirement link', (element) => element.tag === 'a' && element.text === 'Retirement')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(`${retirementUrl}/`)
    await tabTo(keys, 'the Open a plan link', (element) => element.tag === 'a' && element.text === 'Open a plan')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(`${retirementUrl}/plans/new`)
    await tabTo(keys, 'the Open plan button', (element) => element.tag === 'button' && element.text === 'Open plan')
    await keys.keyboard.press('Enter')
    await keys.waitForURL((url) => /^\/plans\/[\w-]+$/.test(url.pathname) && url.pathname !== '/plans/new')
    await tabTo(keys, 'the Contribute link', (element) => element.tag === 'a' && element.text === 'Contribute to this plan')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(/\/contribute/)
    await tabTo(keys, 'the amount field', (element) => element.id === 'amount')
    await keys.keyboard.type('40')
    await keys.keyboard.press('Enter')
    await keys.waitForURL(/\?contribution=/)
    t.match(await keys.locator('#contribution-result').innerText(), /Your contribution of \$40\.00 is (completed|pending)/)
    t.same(keyProblems, [])
  })

  t.same(problems, [], 'no console errors or CSP violations on any page')
})
