export interface ProjectionInput {
  startingBalanceCents: number
  years: number
  /** Nominal annual return in percent, compounded monthly (annualReturnPct / 12 each month). */
  annualReturnPct: number
  /** Paid at the end of every month. */
  monthlyContributionCents: number
}

export interface ProjectionPoint {
  year: number
  balanceCents: number
  contributedCents: number
  growthCents: number
}

/**
 * Compound growth with a monthly contribution (an ordinary annuity):
 *   B(m) = B0·(1+i)^m + C·((1+i)^m − 1)/i,   i = annualReturnPct / 1200,  m = 12·year
 * and B(m) = B0 + C·m when i = 0. Each point is computed from the closed form (not by adding up
 * rounded years), then rounded to whole cents, so rounding never accumulates.
 * (1+i)^m − 1 is expm1(m·log1p(i)): at a tiny i, 1+i rounds to 1 in floating point and the plain
 * form loses every contribution; this one tends smoothly to C·m.
 */
export function project (input: ProjectionInput): ProjectionPoint[] {
  const i = input.annualReturnPct / 1200
  const points: ProjectionPoint[] = []
  for (let year = 0; year <= input.years; year++) {
    const months = 12 * year
    const gain = Math.expm1(months * Math.log1p(i))
    const balance = i === 0
      ? input.startingBalanceCents + input.monthlyContributionCents * months
      : input.startingBalanceCents * (1 + gain) + input.monthlyContributionCents * gain / i
    const contributed = input.startingBalanceCents + input.monthlyContributionCents * months
    const balanceCents = Math.round(balance)
    points.push({ year, balanceCents, contributedCents: contributed, growthCents: balanceCents - contributed })
  }
  return points
}
