import { MAX_CENTS } from '@nestegg/platform'
import { Type, type Static } from 'typebox'

/**
 * The single sign-on contract: who the parties are, what a service token may do, where each
 * server-to-server route lives, and the shapes that cross each wire. Both ends of a wire import
 * these; none is written a second time.
 */

/** The one issuer of user tokens. Every other service is a relying party. */
export const ISSUER_NAME = 'bank'

/** A party's name: its audience is `nestegg-<name>` and it appears in RELYING_PARTIES. */
export const PARTY_NAME_PATTERN = '^[a-z][a-z0-9-]{0,31}$'
const PARTY_NAME = new RegExp(PARTY_NAME_PATTERN)

export function isPartyName (name: string): boolean {
  return PARTY_NAME.test(name)
}

/** The `aud` (and, for service tokens, `iss`) value that names a party. */
export function audienceOf (name: string): string {
  return `nestegg-${name}`
}

export const ISSUER_AUDIENCE = audienceOf(ISSUER_NAME)

/** Scopes a service token may carry, each naming the bank routes it opens. */
export const SCOPES = {
  /** Debit the user's own account into a party's clearing account. */
  contributions: 'contributions',
  /** List the user's accounts. */
  accountsRead: 'accounts:read',
  /** Read the sessions ended since a moment (a relying party's catch-up). */
  sessionsRead: 'sessions:read'
} as const

/** Server-to-server routes: the issuer's, and the one every relying party serves. */
export const INTERNAL_PATHS = {
  /** Relying party: the issuer POSTs `logout_token` here (OpenID Connect Back-Channel Logout). */
  backchannelLogout: '/internal/backchannel-logout',
  /** Issuer: `?since=<ms>` answers the sessions ended since then. */
  revokedSessions: '/internal/revoked-sessions',
  /** Issuer: the debit behind a retirement contribution. */
  contributions: '/internal/contributions',
  /** Issuer: the user's accounts. */
  accounts: '/internal/accounts'
} as const

/** Where each party publishes its public keys in eddsa mode. */
export const JWKS_PATH = '/.well-known/jwks.json'

/** Fastify's error shape, which every service answers with. */
export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String()
})
export type ErrorResponse = Static<typeof ErrorResponse>

export const UserId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })

/** Who the user is, as every service shows it: `request.user`. */
export const UserView = Type.Object({
  id: UserId,
  username: Type.String(),
  name: Type.String()
}, { additionalProperties: false })
export type UserView = Static<typeof UserView>

/** Money in integer cents, never a float. */
export const Cents = Type.Integer({ description: 'Integer cents; never a float' })
/** An amount to move: 1 cent up to MAX_CENTS. */
export const PositiveCents = Type.Integer({ minimum: 1, maximum: MAX_CENTS, description: `A positive amount in integer cents, at most ${MAX_CENTS} ($1,000,000.00)` })

// The bank's accounts and transfers, as its API answers them and retirement reads them.
export const AccountId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
export const AccountNumber = Type.String({ pattern: '^[0-9]{10}$', description: 'Ten digits, the last a Luhn check digit' })
export const TransferId = Type.String({ pattern: '^[0-9a-f]{26}$' })
export const Currency = Type.Literal('USD')
export const Timestamp = Type.String({ format: 'date-time' })

export const AccountView = Type.Object({
  id: AccountId,
  number: AccountNumber,
  type: Type.Union([Type.Literal('checking'), Type.Literal('savings')]),
  name: Type.String(),
  balanceCents: Cents,
  currency: Currency
}, { additionalProperties: false })
export type AccountView = Static<typeof AccountView>

export const TransferKind = Type.Union([Type.Literal('welcome'), Type.Literal('transfer'), Type.Literal('contribution')])
export type TransferKind = Static<typeof TransferKind>

export const TransferView = Type.Object({
  id: TransferId,
  kind: TransferKind,
  fromAccountId: AccountId,
  toAccountId: AccountId,
  toAccountNumber: AccountNumber,
  amountCents: Cents,
  currency: Currency,
  memo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp
}, { additionalProperties: false })
export type TransferView = Static<typeof TransferView>

/** Printable ASCII without spaces (UUIDs, ULIDs and the like), scoped to the user. */
export const IdempotencyKey = Type.String({ minLength: 1, maxLength: 128, pattern: '^[\\x21-\\x7e]+$' })

/** The back-channel logout request body (form-encoded). */
export const BackchannelLogoutBody = Type.Object({ logout_token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false })

export const RevokedSession = Type.Object({
  sessionId: Type.String(),
  userId: Type.String(),
  /** When the issuer ended the session (ms since the epoch). */
  revokedAt: Type.Integer()
}, { additionalProperties: false })
export type RevokedSession = Static<typeof RevokedSession>
export const RevokedSessionsQuery = Type.Object({ since: Type.Integer({ minimum: 0 }) }, { additionalProperties: false })
export const RevokedSessions = Type.Array(RevokedSession)
