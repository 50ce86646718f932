export { issuer, type IssuerOptions, type UserForToken, type SignedAccessToken } from './issuer.js'
export { relyingParty, type RelyingPartyOptions } from './relying-party.js'
export type { ServiceTokenRequest } from './verification.js'
export * from './contract.js'
export {
  ACR_LEVELS,
  ACR_PASSWORD,
  ACR_PASSKEY,
  AcrSchema,
  AmrSchema,
  AuthenticationSchema,
  acrSatisfies,
  isAcrLevel,
  passwordAuthentication,
  type AcrLevel,
  type Authentication,
  type AuthenticatedUser
} from './authentication.js'
export {
  requireStepUp,
  checkStepUp,
  meetsStepUp,
  stepUpChallenge,
  stepUpRequiredError,
  isStepUpRequired,
  stepUpPageUrl,
  type StepUpRequirement
} from './step-up.js'
export { redirectedToStepUp, stepUpRedirect, stepUpReturnTo, type StepUpReturn } from './step-up-redirect.js'
export { StepUpConfigProperties, stepUpRequirementFrom } from './step-up-config.js'
export {
  ACCESS_TOKEN_TYP,
  SERVICE_TOKEN_TYP,
  LOGOUT_TOKEN_TYP,
  LOGOUT_TOKEN_TTL_SECONDS,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  type VerifiedUser,
  type LogoutNotice,
  type ServiceCaller
} from './claims.js'
export {
  AuthConfigProperties,
  IssuerConfigProperties,
  IssuerConfigSchema,
  RelyingPartyConfigProperties,
  RelyingPartyConfigSchema,
  type IssuerConfig,
  type RelyingPartyConfig
} from './config.js'
export { parseRelyingParties, type RelyingPartyEntry } from './relying-parties.js'
export { memoryDenyList, type DeniedSession, type DenyListStore } from './deny-list.js'
export type { LogoutNoticeRow, LogoutOutboxStore, LogoutSender } from './logout-outbox.js'
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
export { ISSUER_METADATA_PATH, IssuerMetadata } from './issuer-metadata.js'
export { KEYS_CHANGED_PATH, KEYS_CHANGED_TOKEN_TYP, KEYS_CHANGED_EVENT } from './keys-changed-notice.js'
export type { KeyReloadResult } from './key-reload.js'
