import { parseDollars } from '@nestegg/web-kit'
import { Type } from 'typebox'

/**
 * The projection form's query. Every field arrives as text and is checked here, not by the schema,
 * so that a wrong value is answered on the page in a sentence (the API keeps its typed query).
 */
export const ProjectionPageQuery = Type.Object({
  years: Type.Optional(Type.String({ maxLength: 16 })),
  annualReturnPct: Type.Optional(Type.String({ maxLength: 16 })),
  monthly: Type.Optional(Type.String({ maxLength: 32 })),
  contribution: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }))
}, { additionalProperties: false })

export const MAX_MONTHLY_CENTS = 10_000_000

export interface ProjectionInput {
  /** What the form shows again: the person's own text. */
  values: { years: string, annualReturnPct: string, monthly: string }
  /** What the chart uses: each field's value, or its default where the text was wrong. */
  years: number
  annualReturnPct: number
  monthlyContributionCents: number
  problems: string[]
}

export function readProjectionQuery (query: { years?: string | undefined, annualReturnPct?: string | undefined, monthly?: string | undefined }): ProjectionInput {
  const values = { years: query.years?.trim() || '30', annualReturnPct: query.annualReturnPct?.trim() || '5', monthly: query.monthly?.trim() || '0' }
  const problems: string[] = []
  let years = Number(values.years)
  if (!/^\d{1,2}$/.test(values.years) || years < 1 || years > 60) {
    problems.push('Years must be a whole number from 1 to 60.')
    years = 30
  }
  let annualReturnPct = Number(values.annualReturnPct)
  if (!/^-?\d{1,2}(\.\d{1,2})?$/.test(values.annualReturnPct) || annualReturnPct < -20 || annualReturnPct > 30) {
    problems.push('The yearly return must be a percentage from -20 to 30, such as 5 or 6.5.')
    annualReturnPct = 5
  }
  let monthlyContributionCents = parseDollars(values.monthly) ?? -1
  if (monthlyContributionCents < 0 || monthlyContributionCents > MAX_MONTHLY_CENTS) {
    problems.push('The monthly contribution must be an amount in dollars up to $100,000, such as 250 or 250.00.')
    monthlyContributionCents = 0
  }
  return { values, years, annualReturnPct, monthlyContributionCents, problems }
}
