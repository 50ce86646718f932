import { Type } from 'typebox'


/** The projection form on pages: same bounds as the API, the monthly amount in dollars. */
export const ProjectionPageQuery = Type.Object({
  years: Type.Integer({ minimum: 1, maximum: 60, default: 30 }),
  annualReturnPct: Type.Number({ minimum: -20, maximum: 30, default: 5 }),
  monthly: Type.String({ maxLength: 16, pattern: '^\\$?[0-9,]{0,12}(\\.[0-9]{1,2})?$', default: '0' }),
  contribution: Type.Optional(Type.String({ maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }))
}, { additionalProperties: false })
