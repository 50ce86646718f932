import { codedError, idempotencyErrors, withHeaders } from '@nestegg/platform'

export const UsernameTakenError = codedError('BANK_USERNAME_TAKEN', 'That username is already taken', 409)
export const InvalidCredentialsError = codedError('BANK_INVALID_CREDENTIALS', 'Invalid username or password', 401)
export const LoginThrottledError = codedError(
  'BANK_LOGIN_THROTTLED',
  'Too many failed logins for this username; try again in %d seconds',
  429
)

/** The 429 for a throttled username, with Retry-After (the error handler sends `headers`). */
export function loginThrottled (waitMs: number): Error {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000))
  return withHeaders(new LoginThrottledError(seconds), { 'retry-after': String(seconds) })
}
export const TooManyRequestsError = codedError(
  'BANK_TOO_MANY_REQUESTS',
  'Too many requests from this address; try again in %s',
  429
)
export const WeakPasswordError = codedError('BANK_WEAK_PASSWORD', '%s', 400)
export const InvalidNameError = codedError('BANK_INVALID_NAME', 'Enter a name (1 to 100 characters, not only spaces)', 400)
export const BidiControlError = codedError(
  'BANK_BIDI_CONTROL',
  '%s may not contain invisible direction controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069)',
  400
)
/** A valid token for a user who no longer exists is a credential problem, not a missing page. */
export const UnknownUserError = codedError('AUTH_USER_UNKNOWN', 'Invalid token', 401)
export const RefreshInvalidError = codedError('AUTH_REFRESH_INVALID', 'Invalid refresh token', 401)
export const RefreshReusedError = codedError('AUTH_REFRESH_REUSED', 'This refresh token was already used; the session has been ended', 401)
export const SessionExpiredError = codedError('AUTH_SESSION_EXPIRED', 'Session expired; log in again', 401)
export const SessionNotFoundError = codedError('BANK_SESSION_NOT_FOUND', 'No such session', 404)
export const WrongPasswordError = codedError('BANK_WRONG_PASSWORD', 'The current password is not correct', 403)

// Ledger. Someone else's account is "not found", exactly like one that does not exist.
export const AccountNotFoundError = codedError('BANK_ACCOUNT_NOT_FOUND', '%s not found', 404)
export const TransferNotFoundError = codedError('BANK_TRANSFER_NOT_FOUND', 'Transfer not found', 404)
export const InsufficientFundsError = codedError('BANK_INSUFFICIENT_FUNDS', 'Insufficient funds', 409)
export const SameAccountError = codedError('BANK_SAME_ACCOUNT', 'The source and destination accounts must differ', 400)
export const InvalidAmountError = codedError('BANK_INVALID_AMOUNT', '%s', 400)
export const InvalidTransferError = codedError('BANK_INVALID_TRANSFER', '%s', 400)
// Worded once in platform for both services; the codes keep the bank's prefix.
const idempotency = idempotencyErrors('BANK')
export const IdempotencyKeyReusedError = idempotency.KeyReused
export const IdempotencyKeyInFlightError = idempotency.KeyInFlight

// Passkeys. One answer for every refused assertion: which check failed is for the log, not the caller.
export const PasskeyRejectedError = codedError('BANK_PASSKEY_REJECTED', 'The passkey could not be verified', 401)
export const PasskeyRegistrationError = codedError('BANK_PASSKEY_REGISTRATION_FAILED', 'The new passkey could not be verified: %s', 400)
export const PasskeyNotFoundError = codedError('BANK_PASSKEY_NOT_FOUND', 'Passkey not found', 404)
export const RecoveryCodeRejectedError = codedError('BANK_RECOVERY_CODE_REJECTED', 'Invalid username or recovery code', 401)
/** A step-up whose password was wrong: 403, as a wrong current password is, so the token is not thought bad. */
export const StepUpFailedError = codedError('BANK_STEP_UP_FAILED', 'The password is not correct', 403)
