export { issuer, type IssuerOptions, type UserForToken, type SignedAccessToken } from './issuer.js'
export { relyingParty, type RelyingPartyOptions } from './relying-party.js'
export type { ServiceTokenRequest } from './verification.js'
export * from './contract.js'
export {
  ACR_PASSWORD,
  ACR_PASSKEY,
  acrSatisfies,
  isAcrLevel,
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
  type VerifiedUser,
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
export type { DeniedSession, DenyListStore } from './deny-list.js'
export type { LogoutNoticeRow, LogoutOutboxStore, LogoutSender } from './logout-outbox.js'
export { resolveJwtSecret } from './secret.js'
export { resolveKeySet, parseSecretList, readHmacKeyFile } from './key-config.js'
export { KeySet, hmacKey, kidForSecret, ed25519KeyFromJwk, generateEd25519Jwk, type AuthMode, type SigningKey, type PublicJwk } from './keys.js'
export { createJwksClient, type JwksClient, type JwksClientOptions } from './jwks-client.js'
export { createRefreshToken, hashRefreshToken, type IssuedRefreshToken } from './refresh-token.js'
export { AuthConfigError, AuthMissingTokenError } from './errors.js'
export { AuthRevocationsUnavailableError } from './revocations-guard.js'
export type { KeyReloadResult } from './key-reload.js'
