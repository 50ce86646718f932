import createError from '@fastify/error'

export const UsernameTakenError = createError('BANK_USERNAME_TAKEN', 'That username is already taken', 409)
export const InvalidCredentialsError = createError('BANK_INVALID_CREDENTIALS', 'Invalid username or password', 401)
export const LoginThrottledError = createError(
  'BANK_LOGIN_THROTTLED',
  'Too many failed logins for this username; try again in %d seconds',
  429
)

/** The 429 for a throttled username, with Retry-After (the error handler sends `headers`). */
export function loginThrottled (waitMs: number): Error {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return Object.assign(new LoginThrottledError(seconds), { headers: { 'retry-after': String(seconds) } })
}
export const TooManyRequestsError = createError(
  'BANK_TOO_MANY_REQUESTS',
  'Too many requests from this address; try again in %s',
  429
)
export const WeakPasswordError = createError('BANK_WEAK_PASSWORD', '%s', 400)
export const InvalidNameError = createError('BANK_INVALID_NAME', 'Enter a name (1 to 100 characters, not only spaces)', 400)
export const BidiControlError = createError(
  'BANK_BIDI_CONTROL',
  '%s may not contain invisible direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)',
  400
)
/** A valid token for a user who no longer exists is a credential problem, not a missing page. */
export const UnknownUserError = createError('AUTH_USER_UNKNOWN', 'Invalid token', 401)
export const RefreshInvalidError = createError('AUTH_REFRESH_INVALID', 'Invalid refresh token', 401)
export const RefreshReusedError = createError('AUTH_REFRESH_REUSED', 'This refresh token was already used; the session has been ended', 401)
export const SessionExpiredError = createError('AUTH_SESSION_EXPIRED', 'Session expired; log in again', 401)
export const SessionNotFoundError = createError('BANK_SESSION_NOT_FOUND', 'No such session', 404)
export const WrongPasswordError = createError('BANK_WRONG_PASSWORD', 'The current password is not correct', 403)

// Ledger. Someone else's account is "not found", exactly like one that does not exist.
export const AccountNotFoundError = createError('BANK_ACCOUNT_NOT_FOUND', '%s not found', 404)
export const TransferNotFoundError = createError('BANK_TRANSFER_NOT_FOUND', 'Transfer not found', 404)
export const InsufficientFundsError = createError('BANK_INSUFFICIENT_FUNDS', 'Insufficient funds', 409)
export const SameAccountError = createError('BANK_SAME_ACCOUNT', 'The source and destination accounts must differ', 400)
export const InvalidAmountError = createError('BANK_INVALID_AMOUNT', '%s', 400)
export const InvalidTransferError = createError('BANK_INVALID_TRANSFER', '%s', 400)
export const IdempotencyKeyReusedError = createError(
  'BANK_IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was already used with a different request',
  422
)

// Passkeys. One answer for every refused assertion: which check failed is for the log, not the caller.
export const PasskeyRejectedError = createError('BANK_PASSKEY_REJECTED', 'The passkey could not be verified', 401)
export const PasskeyRegistrationError = createError('BANK_PASSKEY_REGISTRATION_FAILED', 'The new passkey could not be verified: %s', 400)
export const PasskeyNotFoundError = createError('BANK_PASSKEY_NOT_FOUND', 'Passkey not found', 404)
export const RecoveryCodeRejectedError = createError('BANK_RECOVERY_CODE_REJECTED', 'Invalid username or recovery code', 401)
/** A step-up whose password was wrong: 403, as a wrong current password is, so the token is not thought bad. */
export const StepUpFailedError = createError('BANK_STEP_UP_FAILED', 'The password is not correct', 403)
export const StepUpLevelError = createError('BANK_STEP_UP_LEVEL', 'A password cannot meet the level asked for; use a passkey', 400)
