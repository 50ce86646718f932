import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { type Browser, type Page, chromium } from 'playwright-core'
import type { Test } from 'tap'
import { PASSWORD } from './http.js'
import { ROOT } from './services.js'

/** Debian's Chromium, installed by .ci/run (never a browser downloaded by Playwright). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Screenshots and other files a run keeps for people to look at (git-ignored). */
export const ARTIFACTS = join(ROOT, 'e2e', 'artifacts')

/**
 * Why a browser test cannot run here, or false when it can: without Chromium the test is skipped
 * with this message locally; in CI (CI=true) a missing browser is a failure, never a skip.
 */
export function chromiumMissing (): string | false {
  if (existsSync(CHROMIUM)) return false
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium`)
  return `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`
}

/** Headless Chromium for one test, closed at its teardown; `extraArgs` e.g. --host-resolver-rules. */
export async function launchBrowser (t: Test, extraArgs: string[] = []): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs]
  })
  t.teardown(() => browser.close())
  return browser
}

/** A new customer through the bank's sign-up page, on their dashboard when this returns. */
export async function signUpInBrowser (page: Page, bankUrl: string, name: string, username: string): Promise<void> {
  await page.goto(`${bankUrl}/signup`)
  await page.getByLabel('Your name').fill(name)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Open my accounts' }).click()
  await page.waitForURL(`${bankUrl}/?welcome=1`)
}

/** Collects what a page would show a developer in the console: CSP violations, script errors. */
export function watchConsole (page: Page): string[] {
  const problems: string[] = []
  page.on('console', (message) => {
    // An error status is a page's answer (a 409 page is expected), not a problem with the page.
    if (message.text().startsWith('Failed to load resource: the server responded with a status')) return
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  page.on('pageerror', (error) => problems.push(error.message))
  return problems
}

export async function screenshot (page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true })
  const path = join(ARTIFACTS, name)
  await page.screenshot({ path, fullPage: true })
  return path
}
