import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { ROOT } from './services.js'

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** Where the README's screenshots live: the browser tests write them, so they cannot go stale. */
export const README_IMAGES = join(ROOT, 'docs', 'images')

export interface AxeViolation {
  id: string
  impact: string | null
  help: string
  targets: string[]
}

/**
 * axe-core's findings of serious or critical impact on the page as it is now (WCAG 2.0 to 2.2 A
 * and AA, and axe's best practices). The source is evaluated through the DevTools protocol, which
 * the pages' CSP (no script at all) does not govern.
 */
export async function seriousAxeViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(`${AXE_SOURCE};0`)
  const results = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: (context: Document, options: unknown) => Promise<{ violations: Array<{ id: string, impact: string | null, help: string, nodes: Array<{ target: string[] }> }> }> } }).axe
    return axe.run(document, { resultTypes: ['violations'] })
  })
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({ id: violation.id, impact: violation.impact, help: violation.help, targets: violation.nodes.map((node) => node.target.join(' ')) }))
}

/** How far the page reaches past the viewport's right edge (0 when it does not scroll sideways). */
export async function sidewaysOverflow (page: Page): Promise<number> {
  return page.evaluate(() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth)
}

/** The smallest on-screen font size, in CSS pixels, of the text in visible charts (Infinity without one). */
export async function smallestChartText (page: Page): Promise<number> {
  return page.evaluate(() => {
    let smallest = Infinity
    for (const svg of Array.from(document.querySelectorAll<SVGSVGElement>('figure.chart svg'))) {
      const box = svg.getBoundingClientRect()
      if (box.width === 0) continue
      const scale = box.width / svg.viewBox.baseVal.width
      for (const text of Array.from(svg.querySelectorAll('text'))) {
        smallest = Math.min(smallest, parseFloat(getComputedStyle(text).fontSize) * scale)
      }
    }
    return smallest
  })
}

export async function readmeScreenshot (page: Page, name: string): Promise<void> {
  mkdirSync(README_IMAGES, { recursive: true })
  await page.screenshot({ path: join(README_IMAGES, name), fullPage: true })
}

/**
 * Presses Tab until the focused element satisfies `matches` (by its accessible text, id or name),
 * as a keyboard user would; fails when it is not reachable within `limit` presses.
 */
export async function tabTo (page: Page, description: string, matches: (element: { tag: string, text: string, id: string, name: string }) => boolean, limit = 40): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab')
    const focused = await page.evaluate(() => {
      const element = document.activeElement as HTMLElement | null
      return {
        tag: element?.tagName.toLowerCase() ?? '',
        text: (element?.innerText ?? '').trim(),
        id: element?.id ?? '',
        name: element?.getAttribute('name') ?? ''
      }
    })
    if (matches(focused)) return
  }
  throw new Error(`${description} is not reachable with the Tab key`)
}
