import { Type, type Static } from 'typebox'

/** Shared pieces of the bank's route schemas. */
export const UserId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
export const Username = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[a-z0-9_]+$',
  description: '3 to 32 lower-case letters, digits or underscores'
})
export const Password = Type.String({ minLength: 1, maxLength: 1024 })
export const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })

export const UserView = Type.Object({
  id: UserId,
  username: Type.String(),
  name: Type.String()
}, { additionalProperties: false })
export type UserView = Static<typeof UserView>

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String()
})
