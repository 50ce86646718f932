/** An amount of money as an integer number of cents: never a float, never dollars. */
export type Cents = number

/** The largest amount any one request moves: $1,000,000.00. A larger one is a 400. */
export const MAX_CENTS: Cents = 100_000_000

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

export function formatCents (cents: Cents): string {
  return usd.format(cents / 100)
}
