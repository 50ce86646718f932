import createError from '@fastify/error'

export const UsernameTakenError = createError('BANK_USERNAME_TAKEN', 'That username is already taken', 409)
export const InvalidCredentialsError = createError('BANK_INVALID_CREDENTIALS', 'Invalid username or password', 401)
export const WeakPasswordError = createError('BANK_WEAK_PASSWORD', '%s', 400)
/** A valid token for a user who no longer exists is a credential problem, not a missing page. */
export const UnknownUserError = createError('AUTH_USER_UNKNOWN', 'Invalid token', 401)
