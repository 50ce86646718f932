import t from 'tap'
import { signupAndLogin } from './support/http.js'
import { chromiumMissing, launchBrowser, watchConsole } from './support/browser.js'
import { accessClaims, addVirtualAuthenticator, passwordLogin } from './support/passkeys.js'
import { startStack } from './support/services.js'

t.test('a customer registers a passkey, signs in with it, and removes it', { skip: chromiumMissing() }, async (t) => {
  const browser = await launchBrowser(t)
  const stack = await startStack()
  t.teardown(() => stack.stop())
  const bank = stack.bankUrl
  await signupAndLogin(stack.bank.url, 'pia')
  const context = await browser.newContext()
  const page = await context.newPage()
  const problems = watchConsole(page)
  const authenticator = await addVirtualAuthenticator(context, page)

  await t.test('register a passkey from the security page', async (t) => {
    await passwordLogin(page, bank, 'pia')
    t.same((await accessClaims(context, bank)).amr, ['pwd'], 'a password sign-in to start with')
    await page.getByRole('link', { name: 'Security' }).click()
    await page.waitForURL(`${bank}/security`)
    await page.getByLabel('Name this passkey').fill('Pia\'s laptop')
    await page.getByRole('button', { name: 'Add a passkey' }).click()
    await page.waitForURL(`${bank}/security?added=1`)
    t.match(await page.locator('#passkey-added').innerText(), 'Your passkey is ready')
    t.equal(await page.locator('.passkey-name').innerText(), 'Pia\'s laptop')
    t.match(await page.locator('tr.passkey').innerText(), /Never/, 'not used yet')
    const credentials = await authenticator.credentials()
    t.equal(credentials.length, 1, 'the authenticator holds one credential')
    t.equal(credentials[0]?.isResidentCredential, true, 'a discoverable one')
    t.equal(credentials[0]?.rpId, 'localhost')
  })

  await t.test('log out, then log in with the passkey and no username', async (t) => {
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login/)
    await page.getByRole('button', { name: 'Log in with a passkey' }).click()
    await page.waitForURL(`${bank}/`, { timeout: 8000 }).catch(async (error) => {
      t.comment(await page.locator('#passkey-error').innerText().catch(() => ''), stack.bank.logs.filter((line) => line.level as number >= 30 && String(line.msg).includes('passkey')).map((line) => JSON.stringify(line)).join('\n'))
      throw error
    })
    t.match(await page.locator('h1').innerText(), 'Hello, pia')
    const claims = await accessClaims(context, bank)
    t.same(claims.amr, ['hwk', 'user'])
    t.equal(claims.acr, 'nestegg:passkey')
    await page.goto(`${bank}/security`)
    t.notMatch(await page.locator('tr.passkey').innerText(), /Never/, 'the sign-in shows as the last use')
  })

  await t.test('remove the passkey', async (t) => {
    await page.getByRole('button', { name: /Remove/ }).click()
    await page.waitForURL(`${bank}/security?removed=1`)
    t.match(await page.locator('#passkey-removed').innerText(), 'The passkey was removed')
    t.equal(await page.locator('#no-passkeys').count(), 1)
    await page.getByRole('button', { name: 'Log out' }).click()
    await page.waitForURL(/\/login/)
    await page.getByRole('button', { name: 'Log in with a passkey' }).click()
    await page.locator('#passkey-error').waitFor({ state: 'visible' })
    t.match(await page.locator('#passkey-error').innerText(), 'The passkey could not be verified', 'the removed passkey no longer signs in')
  })

  t.same(problems.filter((line) => !line.includes('401')), [], 'no CSP violation or script error')
})
