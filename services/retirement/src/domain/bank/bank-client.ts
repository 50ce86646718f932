import type { AccountView } from '@nestegg/shared-auth'

/**
 * What retirement needs from the bank, and nothing else. The HTTP implementation lives in
 * http-bank-client.ts; tests may pass a fake that keeps the same promises.
 */
export interface ContributionDebit {
  /** Retirement's contribution id: the bank's idempotency key for the debit. */
  contributionId: string
  userId: string
  fromAccountId: string
  amountCents: number
  /** The plan's name ("Roth IRA"), shown in the bank's history; not part of the debit's identity. */
  planName?: string | undefined
  requestId?: string | undefined
}

export type DebitOutcome =
  /** The bank moved the money (now, or on an earlier call with the same contribution id). */
  | { kind: 'debited', transferId: string }
  /** The bank refused for good: nothing was moved and retrying cannot change that. */
  | { kind: 'refused', code: string, reason: string }
  /** No answer we can trust (down, slow, 5xx, our own token refused): the debit may or may not have happened. */
  | { kind: 'unavailable', error: string }

/** An account as the bank's internal route lists it; the number lets pages say "Checking ··8769". */
export type BankAccountSummary = Omit<AccountView, 'currency'>

export interface BankClient {
  /** Idempotent on `contributionId`: asking again never debits twice. */
  debitForContribution: (debit: ContributionDebit) => Promise<DebitOutcome>
  /** The user's own accounts, for the contribution form. */
  listAccounts: (userId: string, requestId?: string) => Promise<BankAccountSummary[]>
}
