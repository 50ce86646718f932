import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { AcrSchema, AmrSchema, type AuthenticatedUser } from './authentication.js'

/** Explicit typing (RFC 8725 §3.11): an access token can never be mistaken for a service token. */
export const ACCESS_TOKEN_TYP = 'at+jwt'
export const SERVICE_TOKEN_TYP = 'nestegg-svc+jwt'
/** OpenID Connect Back-Channel Logout 1.0 §2.4 names this type and this event. */
export const LOGOUT_TOKEN_TYP = 'logout+jwt'
export const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout'
export const LOGOUT_TOKEN_TTL_SECONDS = 120
export const REQUIRED_CLAIMS = ['sub', 'iss', 'aud', 'iat', 'exp']
export const SERVICE_TOKEN_MAX_TTL_SECONDS = 60

const SafeId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
const Text = Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' })
const NumericDate = Type.Integer({ minimum: 0 })
const Audience = Type.Union([Type.String(), Type.Array(Type.String(), { minItems: 1 })])

export const AccessClaimsSchema = Type.Object({
  sub: SafeId,
  username: Text,
  name: Text,
  iss: Type.String(),
  aud: Audience,
  iat: NumericDate,
  exp: NumericDate,
  jti: SafeId,
  sid: Type.Optional(SafeId),
  // How and when the customer signed in (docs/security.md, "Sign-in levels"): always present.
  amr: AmrSchema,
  acr: AcrSchema,
  auth_time: NumericDate
})
export type AccessClaims = Static<typeof AccessClaimsSchema>

export const ServiceClaimsSchema = Type.Object({
  sub: SafeId,
  iss: Type.String(),
  aud: Audience,
  iat: NumericDate,
  exp: NumericDate,
  jti: SafeId,
  scope: Type.String({ minLength: 1 }),
  act: Type.Object({ sub: Type.String({ minLength: 1 }) })
})

export const LogoutClaimsSchema = Type.Object({
  sub: SafeId,
  sid: SafeId,
  iss: Type.String(),
  aud: Audience,
  iat: NumericDate,
  exp: NumericDate,
  jti: SafeId,
  events: Type.Object({ [BACKCHANNEL_LOGOUT_EVENT]: Type.Object({}) })
})

export const checkAccessClaims = Compile(AccessClaimsSchema)
export const checkLogoutClaims = Compile(LogoutClaimsSchema)
export const checkServiceClaims = Compile(ServiceClaimsSchema)

/** The user the bank vouched for, with the session and token that carried them. */
export interface VerifiedUser {
  user: AuthenticatedUser
  /** The bank's session behind the token (absent on a token minted without one). */
  sessionId: string | undefined
  tokenId: string
  /** The token's `exp`, seconds since the epoch. */
  expiresAt: number
}

/** What a verified logout token says: end this session of this user. */
export interface LogoutNotice {
  sessionId: string
  userId: string
  tokenId: string
  issuedAt: number
}

/** A service acting for a user: who the user is, which service acts, and what it may do. */
export interface ServiceCaller {
  userId: string
  actor: string
  scope: string[]
  tokenId: string
}
