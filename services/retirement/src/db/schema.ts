export interface PlansTable {
  id: string
  user_id: string
  type: string
  balance_cents: number
  created_at: number
}

export type ContributionStatus = 'pending' | 'completed' | 'failed'

export interface ContributionsTable {
  id: string
  user_id: string
  plan_id: string
  from_account_id: string
  amount_cents: number
  idempotency_key: string
  status: ContributionStatus
  tax_year: number
  failure_code: string | null
  failure_reason: string | null
  bank_transfer_id: string | null
  attempts: number
  next_attempt_at: number
  last_error: string | null
  request_id: string | null
  created_at: number
  updated_at: number
  completed_at: number | null
}

export interface RevokedSessionsTable {
  session_id: string
  user_id: string
  revoked_at: number
  expires_at: number
}

export interface RetirementDatabase {
  plans: PlansTable
  contributions: ContributionsTable
  revoked_sessions: RevokedSessionsTable
}
