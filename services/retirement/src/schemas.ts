import { Type } from 'typebox'

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

export const PlanView = Type.Object({
  id: Type.String(),
  type: Type.String(),
  balanceCents: Cents,
  createdAt: Type.String({ format: 'date-time' })
}, { additionalProperties: false })
