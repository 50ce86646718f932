import type { ProjectionPoint } from '../domain/plans/projection.js'
import { formatCents, formatCentsShort } from '../domain/money.js'

/** Full width on desktops; a compact drawing for phones whose labels stay at least 11 px on screen. */
export const CHART_SIZES = {
  full: { width: 720, height: 320, fontSize: 13, margin: { top: 16, right: 24, bottom: 44, left: 76 }, ticks: 5 },
  compact: { width: 340, height: 240, fontSize: 14, margin: { top: 12, right: 12, bottom: 36, left: 58 }, ticks: 3 }
} as const

type ChartSize = (typeof CHART_SIZES)[keyof typeof CHART_SIZES]

/** A "nice" axis step (1, 2, 2.5 or 5 times a power of ten) giving about `ticks` intervals. */
export function niceStep (max: number, ticks = 5): number {
  if (max <= 0) return 1
  const raw = max / ticks
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const normalized = raw / magnitude
  const factor = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 2.5 ? 2.5 : normalized <= 5 ? 5 : 10
  return factor * magnitude
}

function yearStep (years: number, compact: boolean): number {
  const steps = compact ? [5, 10, 20] : [1, 2, 5, 10]
  const limits = compact ? [20, 40, Infinity] : [10, 20, 50, Infinity]
  return steps[limits.findIndex((limit) => years <= limit)] ?? 10
}

const round = (value: number): string => value.toFixed(1)

/** Everything the template draws for one size: numbers and text only, no markup. */
export function drawing (points: ProjectionPoint[], size: ChartSize) {
  const last = points[points.length - 1] ?? { year: 0, balanceCents: 0, contributedCents: 0, growthCents: 0 }
  const years = Math.max(1, last.year)
  const maxValue = Math.max(1, ...points.map((point) => Math.max(point.balanceCents, point.contributedCents)))
  const minValue = Math.min(0, ...points.map((point) => point.balanceCents))
  const step = niceStep(maxValue - minValue, size.ticks)
  const top = Math.ceil(maxValue / step) * step
  const bottom = Math.floor(minValue / step) * step
  const { margin } = size
  const plotWidth = size.width - margin.left - margin.right
  const plotHeight = size.height - margin.top - margin.bottom
  const x = (year: number): number => margin.left + (year / years) * plotWidth
  const y = (cents: number): number => margin.top + plotHeight - ((cents - bottom) / (top - bottom)) * plotHeight
  const line = (pick: (point: ProjectionPoint) => number): string =>
    points.map((point, index) => `${index === 0 ? 'M' : 'L'}${round(x(point.year))},${round(y(pick(point)))}`).join(' ')

  const yTicks: Array<{ y: string, label: string }> = []
  for (let value = bottom; value <= top + step / 2; value += step) yTicks.push({ y: round(y(value)), label: formatCentsShort(value) })
  const compact = size === CHART_SIZES.compact
  const xTicks: Array<{ x: string, label: string }> = []
  for (let year = 0; year <= years; year += yearStep(years, compact)) xTicks.push({ x: round(x(year)), label: year === 0 ? 'now' : `${year}y` })
  if (!xTicks.some((tick) => tick.label === `${years}y`)) xTicks.push({ x: round(x(years)), label: `${years}y` })

  const zero = round(y(Math.max(bottom, 0)))
  const balancePath = line((point) => point.balanceCents)
  return {
    ...size,
    plotLeft: margin.left,
    plotRight: size.width - margin.right,
    plotMiddleX: margin.left + plotWidth / 2,
    plotMiddleY: margin.top + plotHeight / 2,
    xLabelY: size.height - margin.bottom + size.fontSize + 6,
    zero,
    yTicks,
    xTicks,
    balancePath,
    contributedPath: line((point) => point.contributedCents),
    area: `${balancePath} L${round(x(last.year))},${zero} L${round(x(0))},${zero} Z`,
    end: { x: round(x(last.year)), y: round(y(last.balanceCents)), labelY: round(Math.max(margin.top + size.fontSize, y(last.balanceCents) - 10)) },
    endLabel: compact ? formatCentsShort(last.balanceCents) : formatCents(last.balanceCents)
  }
}

/**
 * The projection as inline SVG drawn on the server: readable without JavaScript and allowed by a
 * strict CSP (presentation attributes and the stylesheet's classes, no inline styles). Nothing to
 * draw (no balance, nothing paid in) is said in words instead of six "$0" labels.
 */
export function projectionChart (points: ProjectionPoint[], caption: string) {
  const last = points[points.length - 1] ?? { year: 0, balanceCents: 0, contributedCents: 0, growthCents: 0 }
  const empty = points.every((point) => point.balanceCents === 0 && point.contributedCents === 0)
  return {
    empty,
    summary: `${caption}: ${formatCents(points[0]?.balanceCents ?? 0)} today, ${formatCents(last.balanceCents)} in ${last.year} years ` +
      `(${formatCents(last.contributedCents)} paid in, ${formatCents(last.growthCents)} growth)`,
    full: empty ? null : drawing(points, CHART_SIZES.full),
    compact: empty ? null : drawing(points, CHART_SIZES.compact)
  }
}

export type ProjectionChart = ReturnType<typeof projectionChart>
