import type { RateLimitCountersTable } from '@nestegg/platform'
import type { TransferKind } from '@nestegg/shared-auth'
import type { Generated } from 'kysely'

export interface UsersTable {
  id: string
  username: string
  name: string
  password_hash: string
  created_at: number
}

export interface SessionsTable {
  id: string
  user_id: string
  user_agent: string
  created_at: number
  last_used_at: number
  expires_at: number
  revoked_at: number | null
  revoked_reason: string | null
  /** RFC 8176 methods of the last sign-in, space-separated. */
  amr: string
  acr: string
  /** When the customer last signed in (ms): set at login, raised by a step-up, kept by a refresh. */
  auth_time: number
}

/** Append-only (triggers refuse UPDATE, and DELETE of rows younger than the retention floor). */
export interface SecurityEventsTable {
  id: string
  user_id: string
  type: string
  method: string | null
  device: string | null
  detail: string | null
  occurred_at: number
}

export interface RefreshTokensTable {
  token_hash: string
  session_id: string
  issued_at: number
  used_at: number | null
  /** Set when the token is spent: its successor, sealed under the spent token (successor-seal.ts). */
  successor_sealed: string | null
}

export interface LogoutDeliveriesTable {
  id: string
  session_id: string
  user_id: string
  /** The relying party this notice is for. */
  party: string
  created_at: number
  attempts: Generated<number>
  next_attempt_at: number
  give_up_at: number
  delivered_at: number | null
}

export type AccountType = 'checking' | 'savings' | 'funding' | 'clearing'
export type { TransferKind }

export interface AccountsTable {
  id: string
  number: string
  user_id: string | null
  type: AccountType
  name: string
  currency: string
  balance_cents: number
  opening_balance_cents: number
  created_at: number
}

export interface TransfersTable {
  id: string
  kind: TransferKind
  user_id: string
  idempotency_key: string | null
  request_hash: string | null
  from_account_id: string
  to_account_id: string
  amount_cents: number
  memo: string | null
  created_at: number
}

export interface EntriesTable {
  transfer_id: string
  account_id: string
  amount_cents: number
  balance_after_cents: number
  created_at: number
}

export interface LoginThrottleTable {
  /** The username as submitted (lower-cased), whether or not such a user exists. */
  username: string
  /** Failed logins since the last successful one. */
  failures: number
  /** Epoch ms before which every login for this username is refused. */
  blocked_until: number
  updated_at: number
}

export interface PasskeysTable {
  /** The credential ID, base64url. */
  id: string
  user_id: string
  name: string
  /** The COSE public key, base64url. */
  public_key: string
  /** The authenticator's signature counter (0 when it keeps none). */
  counter: number
  /** Comma-separated transports the authenticator reported ("internal", "usb", ...). */
  transports: string
  created_at: number
  last_used_at: number | null
}

export type CeremonyPurpose = 'register' | 'signin' | 'step-up'

export interface WebauthnChallengesTable {
  challenge: string
  purpose: CeremonyPurpose
  /** Registration and step-up belong to a signed-in customer and session; sign-in to nobody yet. */
  user_id: string | null
  session_id: string | null
  expires_at: number
}

export interface RecoveryCodesTable {
  /** SHA-256 of the normalised code, hex. */
  code_hash: string
  user_id: string
  created_at: number
  used_at: number | null
}

export interface BankDatabase {
  users: UsersTable
  sessions: SessionsTable
  security_events: SecurityEventsTable
  refresh_tokens: RefreshTokensTable
  logout_deliveries: LogoutDeliveriesTable
  accounts: AccountsTable
  transfers: TransfersTable
  entries: EntriesTable
  login_throttle: LoginThrottleTable
  rate_limit_counters: RateLimitCountersTable
  passkeys: PasskeysTable
  webauthn_challenges: WebauthnChallengesTable
  recovery_codes: RecoveryCodesTable
}

export type { Generated }
