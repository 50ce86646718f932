export { sharedAuthPlugin } from './plugin.js'
export type { SharedAuthOptions, UserForToken, SignedAccessToken, ServiceTokenRequest } from './plugin.js'
export {
  PARTIES,
  ACCESS_TOKEN_TYP,
  SERVICE_TOKEN_TYP,
  LOGOUT_TOKEN_TYP,
  LOGOUT_TOKEN_TTL_SECONDS,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  type AuthenticatedUser,
  type LogoutNotice,
  type ServiceCaller,
  type ServiceName
} from './claims.js'
export { AuthConfigProperties } from './config.js'
export { authOptionsFromConfig, JWKS_PATH, type AuthConfig, type ServiceUrls } from './service-options.js'
export { resolveJwtSecret, loadOrCreateDevSecret, DEV_SECRET_PATH, MIN_SECRET_BYTES } from './secret.js'
export { resolveKeySet, parseSecretList, readHmacKeyFile, readEd25519KeyFile, devKeyFilePath } from './key-config.js'
export { KeySet, hmacKey, kidForSecret, ed25519KeyFromJwk, generateEd25519Jwk, type AuthMode, type SigningKey, type PublicJwk } from './keys.js'
export { createJwksClient, type JwksClient, type JwksClientOptions } from './jwks-client.js'
export { createRefreshToken, hashRefreshToken, isRefreshTokenShape, type IssuedRefreshToken } from './refresh-token.js'
export {
  AuthConfigError,
  AuthMissingTokenError,
  AuthInvalidTokenError,
  AuthExpiredTokenError,
  AuthAmbiguousTokenError,
  AuthRevokedSessionError,
  AuthScopeError
} from './errors.js'
