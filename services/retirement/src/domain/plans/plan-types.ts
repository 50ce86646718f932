/**
 * The plan types a user can open and their annual contribution limits, in cents.
 *
 * Source: IRS, "401(k) limit increases to $23,500 for 2025, IRA limit remains $7,000",
 * News Release IR-2024-285 (1 November 2024), https://www.irs.gov/newsroom/401k-limit-increases-to-23500-for-2025-ira-limit-remains-7000
 * - 401(k): the employee elective-deferral limit, $23,500.
 * - IRAs: $7,000, and the limit is shared: what a person puts into all their Traditional and Roth
 *   IRAs together in one year may not exceed it. `limitGroup` models that sharing.
 * Not modelled: age-50 catch-up contributions (we do not know the user's age), income phase-outs
 * for Roth IRAs, and employer contributions. A tax year here is the calendar year (UTC) in which
 * the contribution was made.
 */
export const LIMITS_TAX_YEAR = 2025

export const PLAN_TYPES = {
  '401k': { label: '401(k)', limitGroup: '401k', annualLimitCents: 2_350_000 },
  traditional_ira: { label: 'Traditional IRA', limitGroup: 'ira', annualLimitCents: 700_000 },
  roth_ira: { label: 'Roth IRA', limitGroup: 'ira', annualLimitCents: 700_000 }
} as const

export type PlanType = keyof typeof PLAN_TYPES
export const PLAN_TYPE_NAMES = Object.keys(PLAN_TYPES) as PlanType[]

export function isPlanType (value: string): value is PlanType {
  return Object.hasOwn(PLAN_TYPES, value)
}

/** Plan types whose contributions count against the same annual limit as `type`. */
export function typesSharingLimit (type: PlanType): PlanType[] {
  const group = PLAN_TYPES[type].limitGroup
  return PLAN_TYPE_NAMES.filter((name) => PLAN_TYPES[name].limitGroup === group)
}

/** The tax year a contribution made at `timeMs` counts toward. */
export function taxYearOf (timeMs: number): number {
  return new Date(timeMs).getUTCFullYear()
}
