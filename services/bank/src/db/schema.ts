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
}

export interface RefreshTokensTable {
  token_hash: string
  session_id: string
  issued_at: number
  used_at: number | null
}

export interface LogoutDeliveriesTable {
  id: string
  session_id: string
  user_id: string
  created_at: number
  attempts: Generated<number>
  next_attempt_at: number
  give_up_at: number
  delivered_at: number | null
}

export interface BankDatabase {
  users: UsersTable
  sessions: SessionsTable
  refresh_tokens: RefreshTokensTable
  logout_deliveries: LogoutDeliveriesTable
}

export type { Generated }
