import { codedError } from '@nestegg/platform'

/** Every way a credential can fail is one of these; all are 401 and say nothing about why internally. */
export const AuthMissingTokenError = codedError('AUTH_TOKEN_MISSING', 'Authentication required', 401)
export const AuthInvalidTokenError = codedError('AUTH_TOKEN_INVALID', 'Invalid token', 401)
export const AuthExpiredTokenError = codedError('AUTH_TOKEN_EXPIRED', 'Token expired', 401)
export const AuthAmbiguousTokenError = codedError(
  'AUTH_TOKEN_AMBIGUOUS',
  'The Authorization header and the access cookie carry different tokens',
  401
)
export const AuthScopeError = codedError('AUTH_INSUFFICIENT_SCOPE', 'This token is not allowed here', 401)

/** Start-up configuration errors: these stop the process with a message naming the variable. */
export class AuthConfigError extends Error {
  override name = 'AuthConfigError'
}
export const AuthRevokedSessionError = codedError('AUTH_SESSION_REVOKED', 'This session has ended', 401)
