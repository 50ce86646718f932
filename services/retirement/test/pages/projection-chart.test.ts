import t from 'tap'
import { project } from '../../src/domain/plans/projection.js'
import { CHART_SIZES, niceStep, projectionChart } from '../../src/pages/projection-chart.js'

t.test('axis steps are round numbers', async (t) => {
  t.equal(niceStep(1_000_000, 5), 200_000)
  t.equal(niceStep(1_100_000, 5), 250_000)
  t.equal(niceStep(3_700, 5), 1_000)
  t.equal(niceStep(0), 1)
})

t.test('the chart has years and money on its axes, at two sizes', async (t) => {
  const points = project({ startingBalanceCents: 1_000_000, years: 30, annualReturnPct: 6, monthlyContributionCents: 50_000 })
  const chart = projectionChart(points, 'Roth IRA')
  t.equal(chart.empty, false)
  const full = chart.full
  const compact = chart.compact
  if (full === null || compact === null) throw new Error('no drawing')
  t.same(full.xTicks.map((tick) => tick.label), ['now', '5y', '10y', '15y', '20y', '25y', '30y'])
  t.same(compact.xTicks.map((tick) => tick.label), ['now', '10y', '20y', '30y'], 'fewer labels on a phone')
  t.equal(full.yTicks[0]?.label, '$0')
  t.ok(full.yTicks.every((tick) => /^\$[\d.]+[KM]?$/.test(tick.label)), 'money on the y axis')
  const last = points[30]?.balanceCents ?? 0
  t.equal(full.endLabel, `$${Math.floor(last / 100).toLocaleString('en-US')}.${String(last % 100).padStart(2, '0')}`)
  t.match(chart.summary, /^Roth IRA: \$10,000\.00 today/)
  // On a 390 px phone the compact drawing is about 330 px wide: its text stays at or above 11 px.
  t.ok(CHART_SIZES.compact.fontSize * 330 / CHART_SIZES.compact.width >= 11)
})

t.test('nothing to draw is said, not drawn', async (t) => {
  const chart = projectionChart(project({ startingBalanceCents: 0, years: 30, annualReturnPct: 5, monthlyContributionCents: 0 }), 'Plan')
  t.equal(chart.empty, true)
  t.equal(chart.full, null)
})
