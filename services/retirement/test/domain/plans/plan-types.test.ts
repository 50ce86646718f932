import t from 'tap'
import { ANNUAL_LIMITS_CENTS, annualLimitCents, limitsYearFor } from '../../../src/domain/plans/plan-types.js'

t.test('each tax year has the IRS limits announced for it', async (t) => {
  t.equal(annualLimitCents('401k', 2024), 2_300_000)
  t.equal(annualLimitCents('401k', 2025), 2_350_000)
  t.equal(annualLimitCents('roth_ira', 2025), 700_000)
  t.equal(annualLimitCents('401k', 2026), 2_450_000)
  t.equal(annualLimitCents('traditional_ira', 2026), 750_000)
  t.equal(annualLimitCents('roth_ira', 2026), annualLimitCents('traditional_ira', 2026), 'the IRAs share one limit')
})

t.test('a year not listed yet uses the latest year before it; none goes down from one year to the next', async (t) => {
  const years = Object.keys(ANNUAL_LIMITS_CENTS).map(Number).sort((a, b) => a - b)
  const latest = years.at(-1) as number
  t.equal(limitsYearFor(latest + 1), latest)
  t.equal(annualLimitCents('401k', latest + 3), annualLimitCents('401k', latest))
  t.equal(limitsYearFor(years[0] as number - 1), years[0], 'before the first listed year: the first')
  for (const [index, year] of years.entries()) {
    if (index === 0) continue
    for (const type of ['401k', 'roth_ira'] as const) {
      t.ok(annualLimitCents(type, year) >= annualLimitCents(type, years[index - 1] as number), `${type}: ${year} is not below the year before`)
    }
  }
})
