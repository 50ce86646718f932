import type { ProjectionPoint } from '../domain/plans/projection.js'
import { formatCents, formatCentsShort } from '../domain/money.js'
import { type SafeHtml, html } from './html.js'

const WIDTH = 720
const HEIGHT = 340
const MARGIN = { top: 20, right: 24, bottom: 48, left: 80 }

/** A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals. */
export function niceStep (max: number, ticks = 5): number {
  if (max <= 0) return 1
  const raw = max / ticks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const normalized = raw / magnitude
  const factor = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10
  return factor * magnitude
}

function yearStep (years: number): number {
  if (years <= 10) return 1
  if (years <= 20) return 2
  if (years <= 50) return 5
  return 10
}

const round = (value: number): string => value.toFixed(1)

/**
 * The projection as an inline SVG drawn on the server: readable without JavaScript and allowed by
 * a strict CSP (no inline styles; presentation attributes and the stylesheet's classes only).
 */
export function projectionChart (points: ProjectionPoint[], caption: string): SafeHtml {
  const last = points[points.length - 1] ?? { year: 0, balanceCents: 0, contributedCents: 0, growthCents: 0 }
  const years = Math.max(1, last.year)
  const maxValue = Math.max(1, ...points.map((point) => Math.max(point.balanceCents, point.contributedCents)))
  const minValue = Math.min(0, ...points.map((point) => point.balanceCents))
  const step = niceStep(maxValue - minValue)
  const top = Math.ceil(maxValue / step) * step
  const bottom = Math.floor(minValue / step) * step
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom
  const x = (year: number): number => MARGIN.left + (year / years) * plotWidth
  const y = (cents: number): number => MARGIN.top + plotHeight - ((cents - bottom) / (top - bottom)) * plotHeight

  const yTicks: number[] = []
  for (let value = bottom; value <= top + step / 2; value += step) yTicks.push(value)
  const xTicks: number[] = []
  for (let year = 0; year <= years; year += yearStep(years)) xTicks.push(year)
  if (xTicks[xTicks.length - 1] !== years) xTicks.push(years)

  const line = (pick: (point: ProjectionPoint) => number): string =>
    points.map((point, index) => `${index === 0 ? 'M' : 'L'}${round(x(point.year))},${round(y(pick(point)))}`).join(' ')
  const balancePath = line((point) => point.balanceCents)
  const area = `${balancePath} L${round(x(last.year))},${round(y(Math.max(bottom, 0)))} L${round(x(0))},${round(y(Math.max(bottom, 0)))} Z`
  const summary = `${caption}: ${formatCents(points[0]?.balanceCents ?? 0)} today, ${formatCents(last.balanceCents)} in ${last.year} years ` +
    `(${formatCents(last.contributedCents)} paid in, ${formatCents(last.growthCents)} growth)`

  return html`<figure class="chart">
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title" class="projection">
<title id="chart-title">${summary}</title>
<g class="grid">${yTicks.map((value) => html`
<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${round(y(value))}" y2="${round(y(value))}" stroke="#d8dee4" stroke-width="1"/>
<text class="tick y-tick" x="${MARGIN.left - 8}" y="${round(y(value) + 4)}" text-anchor="end" font-size="12" fill="#444">${formatCentsShort(value)}</text>`)}
</g>
<g class="x-axis">
<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${round(y(Math.max(bottom, 0)))}" y2="${round(y(Math.max(bottom, 0)))}" stroke="#444" stroke-width="1"/>${xTicks.map((year) => html`
<text class="tick x-tick" x="${round(x(year))}" y="${HEIGHT - MARGIN.bottom + 18}" text-anchor="middle" font-size="12" fill="#444">${year === 0 ? 'now' : `${year}y`}</text>`)}
<text class="axis-label" x="${MARGIN.left + plotWidth / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="13" fill="#222">Years from today</text>
</g>
<text class="axis-label" transform="translate(16 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle" font-size="13" fill="#222">Balance (USD)</text>
<path class="balance-area" d="${area}" fill="#2e7d5b" fill-opacity="0.15" stroke="none"/>
<path class="contributed-line" d="${line((point) => point.contributedCents)}" fill="none" stroke="#8a6d1d" stroke-width="2" stroke-dasharray="6 4"/>
<path class="balance-line" d="${balancePath}" fill="none" stroke="#2e7d5b" stroke-width="3"/>
<circle cx="${round(x(last.year))}" cy="${round(y(last.balanceCents))}" r="4" fill="#2e7d5b"/>
<text class="end-label" x="${round(x(last.year) - 6)}" y="${round(Math.max(MARGIN.top + 12, y(last.balanceCents) - 10))}" text-anchor="end" font-size="13" font-weight="bold" fill="#1d5a40">${formatCents(last.balanceCents)}</text>
<g class="legend" font-size="12" fill="#222">
<line x1="${MARGIN.left + 10}" x2="${MARGIN.left + 34}" y1="${MARGIN.top + 8}" y2="${MARGIN.top + 8}" stroke="#2e7d5b" stroke-width="3"/>
<text x="${MARGIN.left + 40}" y="${MARGIN.top + 12}">Projected balance</text>
<line x1="${MARGIN.left + 170}" x2="${MARGIN.left + 194}" y1="${MARGIN.top + 8}" y2="${MARGIN.top + 8}" stroke="#8a6d1d" stroke-width="2" stroke-dasharray="6 4"/>
<text x="${MARGIN.left + 200}" y="${MARGIN.top + 12}">Paid in</text>
</g>
</svg>
<figcaption>${summary}</figcaption>
</figure>`
}
