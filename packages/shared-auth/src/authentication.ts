import { Type, type Static } from 'typebox'
import type { UserView } from './contract.js'

/**
 * How and when the customer signed in, as every access token carries it: `amr` (RFC 8176 method
 * names), `acr` (a level Nestegg defines, below) and `auth_time` (OpenID Connect Core §2).
 */

/** A password re-entered at the bank. */
export const ACR_PASSWORD = 'nestegg:pwd'
/** A passkey (WebAuthn) with user verification. */
export const ACR_PASSKEY = 'nestegg:passkey'
/** The levels, lowest first: a level meets every level at or before it. */
const ACR_LEVELS = [ACR_PASSWORD, ACR_PASSKEY] as const
export type AcrLevel = typeof ACR_LEVELS[number]

export const AcrSchema = Type.Union([Type.Literal(ACR_PASSWORD), Type.Literal(ACR_PASSKEY)])
/** RFC 8176 method names are short lower-case words; a handful at most per sign-in. */
export const AmrSchema = Type.Array(Type.String({ minLength: 1, maxLength: 16, pattern: '^[a-z][a-z0-9_-]*$' }), { minItems: 1, maxItems: 8 })

/** What the bank's session keeps and each token copies: the sign-in behind it. */
const AuthenticationSchema = Type.Object({
  amr: AmrSchema,
  acr: AcrSchema,
  /** Seconds since the epoch. */
  authTime: Type.Integer({ minimum: 0 })
}, { additionalProperties: false })
export type Authentication = Static<typeof AuthenticationSchema>

/** `request.user`: who the customer is, and how and when they signed in. */
export type AuthenticatedUser = UserView & Authentication

export function isAcrLevel (value: string): value is AcrLevel {
  return (ACR_LEVELS as readonly string[]).includes(value)
}

/** True when `actual` is `required` or a stronger level; an unknown level meets nothing. */
export function acrSatisfies (actual: string, required: AcrLevel): boolean {
  const have = ACR_LEVELS.indexOf(actual as AcrLevel)
  return have >= 0 && have >= ACR_LEVELS.indexOf(required)
}
