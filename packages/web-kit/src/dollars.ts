import type { Cents } from '@nestegg/platform'

/**
 * What a person types in an amount field ("12.34", "1,000", "$5") → cents, by string arithmetic
 * (never through a float). Undefined when the text is not dollars with at most two decimals. The
 * one parser both services' forms use; the JSON APIs take integer cents and never parse dollars.
 */
export function parseDollars (text: string): Cents | undefined {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (match === null) return undefined
  const dollars = Number((match[1] as string).replaceAll(',', ''))
  const cents = Number((match[2] ?? '').padEnd(2, '0'))
  const total = dollars * 100 + cents
  return Number.isSafeInteger(total) ? total : undefined
}
