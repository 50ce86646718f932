import type { BrowserContext, Page } from 'playwright-core'
import { PASSWORD } from './http.js'

/**
 * The DevTools virtual authenticator, standing in for a phone's or laptop's: a platform
 * authenticator (internal transport, CTAP2) that keeps discoverable credentials and verifies the user.
 */
export async function addVirtualAuthenticator (context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('WebAuthn.enable')
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true }
  })
  return {
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials
  }
}

/** The claims of the access cookie the browser holds for the bank (amr, acr, auth_time…). */
export async function accessClaims (context: BrowserContext, bankUrl: string): Promise<Record<string, unknown>> {
  const cookie = (await context.cookies(bankUrl)).find((candidate) => candidate.name === 'nestegg_access')
  if (cookie === undefined) throw new Error('no access cookie')
  return JSON.parse(Buffer.from(cookie.value.split('.')[1] ?? '', 'base64url').toString())
}

/** The bank's log-in form with the password. */
export async function passwordLogin (page: Page, bankUrl: string, username: string): Promise<void> {
  await page.goto(`${bankUrl}/login`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Log in', exact: true }).click()
  await page.waitForURL(`${bankUrl}/`)
}
