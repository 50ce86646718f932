/**
 * The plan types a user can open, and the annual contribution limits of each tax year, in cents.
 *
 * Sources, the IRS's yearly cost-of-living announcements:
 * - 2024: "401(k) limit increases to $23,000 for 2024, IRA limit rises to $7,000", news release
 *   IR-2023-203 (1 November 2023), Notice 2023-75.
 * - 2025: "401(k) limit increases to $23,500 for 2025, IRA limit remains $7,000", news release
 *   IR-2024-285 (1 November 2024), Notice 2024-80.
 * - 2026: "401(k) limit increases to $24,500 for 2026, IRA limit increases to $7,500" (13 November
 *   2025), Notice 2025-67.
 * The 401(k) figure is the employee elective-deferral limit. The IRA limit is shared: what a person
 * puts into all their Traditional and Roth IRAs together in one year may not exceed it;
 * `limitGroup` models that sharing.
 * Not modelled: age-50 catch-up contributions (we do not know the user's age), income phase-outs
 * for Roth IRAs, and employer contributions. A tax year here is the calendar year (UTC) in which
 * the contribution was made.
 *
 * Add each year's limits when the IRS announces them (in the autumn before). Until then a later
 * year uses the latest year listed: these limits are indexed to inflation and never go down, so
 * that is never more than the law allows. A contribution is always made now, so a year before the
 * first listed one only comes from a clock set back; it gets the first year's limits.
 */
export const ANNUAL_LIMITS_CENTS = {
  2024: { '401k': 2_300_000, ira: 700_000 },
  2025: { '401k': 2_350_000, ira: 700_000 },
  2026: { '401k': 2_450_000, ira: 750_000 }
} as const satisfies Record<number, Record<LimitGroup, number>>

export type LimitGroup = '401k' | 'ira'

export const PLAN_TYPES = {
  '401k': { label: '401(k)', limitGroup: '401k' },
  traditional_ira: { label: 'Traditional IRA', limitGroup: 'ira' },
  roth_ira: { label: 'Roth IRA', limitGroup: 'ira' }
} as const satisfies Record<string, { label: string, limitGroup: LimitGroup }>

const LIMIT_YEARS = Object.keys(ANNUAL_LIMITS_CENTS).map(Number).sort((a, b) => a - b)

/** The year whose limits apply to `taxYear`: itself when listed, else the latest listed before it (or the first). */
export function limitsYearFor (taxYear: number): number {
  const known = LIMIT_YEARS.filter((year) => year <= taxYear)
  return known.at(-1) ?? (LIMIT_YEARS[0] as number)
}

/** What one person may contribute in `taxYear` to plans of `type` and the types sharing its limit. */
export function annualLimitCents (type: PlanType, taxYear: number): number {
  const limits: Record<LimitGroup, number> = ANNUAL_LIMITS_CENTS[limitsYearFor(taxYear) as keyof typeof ANNUAL_LIMITS_CENTS]
  return limits[PLAN_TYPES[type].limitGroup]
}

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
