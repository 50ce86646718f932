/** An amount of money as an integer number of cents: never a float, never dollars. */
export type Cents = number

/** The largest amount any one request moves: $1,000,000.00. A larger one is a 400. */
export const MAX_CENTS: Cents = 100_000_000

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })

export function formatCents (cents: Cents): string {
  return usd.format(cents / 100)
}

/**
 * "12.34", "1,000", "$5" → cents, by string arithmetic (never through a float); undefined when the
 * text is not dollars with at most two decimals and commas, if any, between every three digits.
 */
export function parseDollars (text: string): Cents | undefined {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (match === null) return undefined
  const dollars = Number((match[1] as string).replaceAll(',', ''))
  const cents = Number((match[2] ?? '').padEnd(2, '0'))
  const total = dollars * 100 + cents
  return Number.isSafeInteger(total) ? total : undefined
}
