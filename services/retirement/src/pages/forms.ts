import { Type } from 'typebox'

/** "1,234.56", "$20" or "20.5" → cents; null for anything else (pages accept dollars, the API cents). */
export function parseDollars (text: string): number | null {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '')
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(cleaned)
  if (match === null) return null
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'))
}

export function centsToDollarsInput (cents: number): string {
  return (cents / 100).toFixed(2).replace(/\.00$/, '')
}

/** The projection form on pages: same bounds as the API, the monthly amount in dollars. */
export const ProjectionPageQuery = Type.Object({
  years: Type.Integer({ minimum: 1, maximum: 60, default: 30 }),
  annualReturnPct: Type.Number({ minimum: -20, maximum: 30, default: 5 }),
  monthly: Type.String({ maxLength: 16, pattern: '^\\$?[0-9,]{0,12}(\\.[0-9]{1,2})?$', default: '0' }),
  contribution: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }))
}, { additionalProperties: false })
