import t from 'tap'
import { project } from '../../../src/domain/plans/projection.js'

t.test('matches hand-computed compound growth with monthly contributions', async (t) => {
  // $10,000 at 12%/year (1% a month) plus $100 at the end of every month:
  // year 1: 10000·1.01^12 = 11268.25 and 100·(1.01^12 − 1)/0.01 = 1268.25 → $12,536.50
  // year 2: 10000·1.01^24 = 12697.35 and 100·(1.01^24 − 1)/0.01 = 2697.35 → $15,394.69
  const points = project({ startingBalanceCents: 1_000_000, years: 2, annualReturnPct: 12, monthlyContributionCents: 10_000 })
  t.same(points, [
    { year: 0, balanceCents: 1_000_000, contributedCents: 1_000_000, growthCents: 0 },
    { year: 1, balanceCents: 1_253_650, contributedCents: 1_120_000, growthCents: 133_650 },
    { year: 2, balanceCents: 1_539_469, contributedCents: 1_240_000, growthCents: 299_469 }
  ])
})

t.test('without contributions it is plain compounding', async (t) => {
  // $1,000 at 6%/year (0.5% a month) for 10 years: 1000·1.005^120 = 1819.40
  const points = project({ startingBalanceCents: 100_000, years: 10, annualReturnPct: 6, monthlyContributionCents: 0 })
  t.equal(points.length, 11)
  t.equal(points[10]?.balanceCents, 181_940)
})

t.test('a zero return adds contributions exactly', async (t) => {
  const points = project({ startingBalanceCents: 5_000, years: 3, annualReturnPct: 0, monthlyContributionCents: 2_500 })
  t.same(points.map((point) => point.balanceCents), [5_000, 35_000, 65_000, 95_000])
  t.ok(points.every((point) => point.growthCents === 0))
})

t.test('a negative return shrinks the balance', async (t) => {
  const points = project({ startingBalanceCents: 100_000, years: 1, annualReturnPct: -12, monthlyContributionCents: 0 })
  // 1000·0.99^12 = 886.38
  t.equal(points[1]?.balanceCents, 88_638)
})

t.test('a tiny non-zero return behaves like a zero one, never losing the contributions', async (t) => {
  // At 1e-20 %, 1 + i rounds to 1: the plain closed form divided 0 by i and projected $1,000 and a
  // "growth" of −$360,000 for $1,000 a month over 30 years.
  for (const annualReturnPct of [1e-20, -1e-20, 1e-12, Number.MIN_VALUE]) {
    const points = project({ startingBalanceCents: 100_000, years: 30, annualReturnPct, monthlyContributionCents: 100_000 })
    const last = points[30]
    t.equal(last?.balanceCents, 100_000 + 360 * 100_000, `${annualReturnPct} %: the balance is what was paid in`)
    t.equal(last?.growthCents, 0, `${annualReturnPct} %: no growth to speak of`)
  }
  // Small but visible: 0.01 %/year on $1,000 a month for a year adds a few cents over $12,000.
  const small = project({ startingBalanceCents: 0, years: 1, annualReturnPct: 0.01, monthlyContributionCents: 100_000 })
  t.ok((small[1]?.growthCents ?? 0) > 0 && (small[1]?.growthCents ?? 0) < 100, 'a small positive growth')
})
