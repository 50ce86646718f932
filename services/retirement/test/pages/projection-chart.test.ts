import t from 'tap'
import { project } from '../../src/domain/plans/projection.js'
import { niceStep, projectionChart } from '../../src/pages/projection-chart.js'

t.test('axis steps are round numbers', async (t) => {
  t.equal(niceStep(1_000_000, 5), 200_000)
  t.equal(niceStep(1_100_000, 5), 250_000)
  t.equal(niceStep(3_700, 5), 1_000)
  t.equal(niceStep(0), 1)
})

t.test('the chart is an SVG with labelled axes, years and money formatted', async (t) => {
  const points = project({ startingBalanceCents: 1_000_000, years: 30, annualReturnPct: 6, monthlyContributionCents: 50_000 })
  const svg = projectionChart(points, 'Roth <IRA>').value
  t.match(svg, /^<figure class="chart">\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
  t.match(svg, 'Years from today')
  t.match(svg, 'Balance (USD)')
  for (const label of ['now', '5y', '10y', '30y']) t.match(svg, `>${label}</text>`)
  t.match(svg, />\$0<\/text>/)
  t.match(svg, />\$[\d.]+[KM]<\/text>/, 'money on the y axis')
  const last = points[30]?.balanceCents ?? 0
  const dollars = `$${Math.floor(last / 100).toLocaleString('en-US')}.${String(last % 100).padStart(2, '0')}`
  t.match(svg, `>${dollars}</text>`, 'the final balance is labelled')
  t.match(svg, 'Roth &lt;IRA&gt;', 'the caption is escaped')
  t.notMatch(svg, 'style=', 'no inline styles: the CSP forbids them')
})
