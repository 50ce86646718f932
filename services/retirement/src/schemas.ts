import { Type } from 'typebox'
import { PLAN_TYPE_NAMES } from './domain/plans/plan-types.js'

/** Shared pieces of the retirement service's route schemas. */
export const UserView = Type.Object({
  id: Type.String(),
  username: Type.String(),
  name: Type.String()
}, { additionalProperties: false })

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String()
})

export const Cents = Type.Integer({ description: 'An amount in integer cents' })
export const PositiveCents = Type.Integer({ minimum: 1, maximum: 100_000_000_00, description: 'A positive amount in integer cents' })
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
export const IdempotencyKey = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' })
/** Checked by the plan service, whose message lists the valid types. */
export const PlanTypeName = Type.String({ minLength: 1, maxLength: 32, description: `One of ${PLAN_TYPE_NAMES.join(', ')}` })

export const PlanView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  typeLabel: Type.String(),
  balanceCents: Cents,
  createdAt: Type.String({ format: 'date-time' })
}, { additionalProperties: false })

export const PlanDetailView = Type.Object({
  ...PlanView.properties,
  taxYear: Type.Integer(),
  annualLimitCents: Cents,
  contributedThisYearCents: Type.Integer({ description: 'Pending and completed, across plans sharing the limit' }),
  remainingThisYearCents: Cents
}, { additionalProperties: false })

export const ContributionStatus = Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('failed')])

export const ContributionView = Type.Object({
  id: Type.String(),
  planId: Type.String(),
  fromAccountId: Type.String(),
  amountCents: Cents,
  status: ContributionStatus,
  reason: Type.Optional(Type.String({ description: 'Why it failed' })),
  failureCode: Type.Optional(Type.String()),
  bankTransferId: Type.Optional(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  completedAt: Type.Optional(Type.String({ format: 'date-time' }))
}, { additionalProperties: false })
