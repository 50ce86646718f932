export { sharedAuthPlugin } from './plugin.js'
export type { SharedAuthOptions, UserForToken, SignedAccessToken, ServiceTokenRequest } from './plugin.js'
export {
  PARTIES,
  ACCESS_TOKEN_TYP,
  SERVICE_TOKEN_TYP,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  type AuthenticatedUser,
  type ServiceCaller,
  type ServiceName
} from './claims.js'
export { AuthConfigProperties } from './config.js'
export { resolveJwtSecret, loadOrCreateDevSecret, DEV_SECRET_PATH, MIN_SECRET_BYTES } from './secret.js'
export {
  AuthConfigError,
  AuthMissingTokenError,
  AuthInvalidTokenError,
  AuthExpiredTokenError,
  AuthAmbiguousTokenError,
  AuthScopeError
} from './errors.js'
