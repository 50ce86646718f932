import { formatCents } from '../domain/money.js'

/** A transfer into the bank's retirement clearing account, as the bank's ledger records it. */
export interface ClearingTransfer {
  transferId: string
  /** The bank's idempotency key for it: retirement's contribution id. */
  contributionId: string | null
  userId: string
  amountCents: number
}

/** A contribution as retirement records it. */
export interface ContributionRecord {
  id: string
  userId: string
  status: 'pending' | 'completed' | 'failed'
  amountCents: number
  bankTransferId: string | null
}

/**
 * Every clearing transfer must be one completed contribution with the same id, user and amount
 * (and the bank transfer id retirement recorded), and every completed contribution must have its
 * transfer. Returns one sentence per mismatch; none means the two ledgers agree one to one.
 */
export function reconcile (transfers: ClearingTransfer[], contributions: ContributionRecord[]): string[] {
  const mismatches: string[] = []
  const byId = new Map(contributions.map((contribution) => [contribution.id, contribution]))
  const seen = new Set<string>()
  for (const transfer of transfers) {
    const label = `bank transfer ${transfer.transferId} (${formatCents(transfer.amountCents)})`
    const contribution = transfer.contributionId === null ? undefined : byId.get(transfer.contributionId)
    if (transfer.contributionId !== null && seen.has(transfer.contributionId)) {
      mismatches.push(`${label} is a second clearing transfer for contribution ${transfer.contributionId}`)
      continue
    }
    if (transfer.contributionId !== null) seen.add(transfer.contributionId)
    if (contribution === undefined) {
      mismatches.push(`${label} into retirement clearing has no contribution ${transfer.contributionId ?? '(no idempotency key)'} in retirement`)
      continue
    }
    if (contribution.status !== 'completed') {
      mismatches.push(`${label}: the bank debited contribution ${contribution.id}, which is ${contribution.status} in retirement`)
      continue
    }
    if (contribution.amountCents !== transfer.amountCents) {
      mismatches.push(`${label}: contribution ${contribution.id} credited ${formatCents(contribution.amountCents)}`)
    }
    if (contribution.userId !== transfer.userId) {
      mismatches.push(`${label}: contribution ${contribution.id} belongs to user ${contribution.userId}, the transfer to ${transfer.userId}`)
    }
    if (contribution.bankTransferId !== transfer.transferId) {
      mismatches.push(`${label}: contribution ${contribution.id} recorded bank transfer ${contribution.bankTransferId ?? '(none)'}`)
    }
  }
  for (const contribution of contributions) {
    if (contribution.status === 'completed' && !seen.has(contribution.id)) {
      mismatches.push(`contribution ${contribution.id} (${formatCents(contribution.amountCents)}) is completed in retirement but the bank has no clearing transfer for it`)
    }
  }
  return mismatches
}
