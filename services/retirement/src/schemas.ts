import { Type } from 'typebox'
import { PLAN_TYPE_NAMES } from './domain/plans/plan-types.js'

import { Cents } from '@nestegg/shared-auth'

/** Shared pieces of the retirement service's route schemas; those that cross a wire come from the contract. */
export { Cents, ErrorResponse, IdempotencyKey, PositiveCents, UserView } from '@nestegg/shared-auth'
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
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
