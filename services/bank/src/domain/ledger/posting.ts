import type { Kysely } from 'kysely'
import type { BankDatabase, TransferKind, TransfersTable } from '../../db/schema.js'
import { InsufficientFundsError } from '../../errors.js'
import type { RunStatement } from './ledger-statements.js'
import type { Cents } from './money.js'

export interface Posting {
  id: string
  kind: TransferKind
  userId: string
  idempotencyKey: string | null
  requestHash: string | null
  fromAccountId: string
  toAccountId: string
  amountCents: Cents
  memo: string | null
  createdAt: number
}

/**
 * Books one transfer inside the caller's write transaction: the transfer row, a conditional debit
 * (`balance_cents >= amount`, never read-then-write), the credit, and the two entries summing to
 * zero. Returns undefined, having booked nothing, when the user already used the idempotency key.
 * Throws InsufficientFundsError when the debit matches no row; the caller's rollback (of the
 * transaction or its savepoint) then undoes the transfer row. Accounts are updated in id order so
 * two opposite transfers on PostgreSQL lock rows in the same order and cannot deadlock.
 */
export async function postTransfer (trx: Kysely<BankDatabase>, run: RunStatement, posting: Posting): Promise<TransfersTable | undefined> {
  const row: TransfersTable = {
    id: posting.id,
    kind: posting.kind,
    user_id: posting.userId,
    idempotency_key: posting.idempotencyKey,
    request_hash: posting.requestHash,
    from_account_id: posting.fromAccountId,
    to_account_id: posting.toAccountId,
    amount_cents: posting.amountCents,
    memo: posting.memo,
    created_at: posting.createdAt
  }
  const inserted = await run(trx, 'insertTransfer', [row.id, row.kind, row.user_id, row.idempotency_key, row.request_hash,
    row.from_account_id, row.to_account_id, row.amount_cents, row.memo, row.created_at])
  if (inserted.rows.length === 0) return undefined

  const amount = posting.amountCents
  const debit = async (): Promise<number> => {
    const { rows } = await run<{ balance_cents: number }>(trx, 'debit', [amount, posting.fromAccountId, amount])
    if (rows[0] === undefined) throw new InsufficientFundsError()
    return Number(rows[0].balance_cents)
  }
  const credit = async (): Promise<number> => {
    const { rows } = await run<{ balance_cents: number }>(trx, 'credit', [amount, posting.toAccountId])
    if (rows[0] === undefined) throw new Error(`credit: no account ${posting.toAccountId}`)
    return Number(rows[0].balance_cents)
  }
  let fromBalance: number
  let toBalance: number
  if (posting.fromAccountId < posting.toAccountId) {
    fromBalance = await debit()
    toBalance = await credit()
  } else {
    toBalance = await credit()
    fromBalance = await debit()
  }

  await run(trx, 'insertEntries', [
    row.id, row.from_account_id, -amount, fromBalance, row.created_at,
    row.id, row.to_account_id, amount, toBalance, row.created_at
  ])
  return row
}
