import type { Kysely } from 'kysely'
import type { BankDatabase, TransferKind, TransfersTable } from '../../db/schema.js'
import { InsufficientFundsError } from '../../errors.js'
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
 * (`balance_cents >= amount`, never read-then-write), the credit, and exactly two entries summing to
 * zero. Throws InsufficientFundsError when the debit matches no row; the caller's rollback then
 * undoes everything. Accounts are updated in id order so two opposite transfers on PostgreSQL lock
 * rows in the same order and cannot deadlock.
 */
export async function postTransfer (trx: Kysely<BankDatabase>, posting: Posting): Promise<TransfersTable> {
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
  await trx.insertInto('transfers').values(row).execute()

  const amount = posting.amountCents
  const debit = async (): Promise<number> => {
    const updated = await trx.updateTable('accounts')
      .set((eb) => ({ balance_cents: eb('balance_cents', '-', amount) }))
      .where('id', '=', posting.fromAccountId)
      .where((eb) => eb.or([eb('balance_cents', '>=', amount), eb('type', '=', 'funding')]))
      .returning('balance_cents')
      .executeTakeFirst()
    if (updated === undefined) throw new InsufficientFundsError()
    return Number(updated.balance_cents)
  }
  const credit = async (): Promise<number> => {
    const updated = await trx.updateTable('accounts')
      .set((eb) => ({ balance_cents: eb('balance_cents', '+', amount) }))
      .where('id', '=', posting.toAccountId)
      .returning('balance_cents')
      .executeTakeFirstOrThrow()
    return Number(updated.balance_cents)
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

  await trx.insertInto('entries').values([
    { transfer_id: row.id, account_id: row.from_account_id, amount_cents: -amount, balance_after_cents: fromBalance, created_at: row.created_at },
    { transfer_id: row.id, account_id: row.to_account_id, amount_cents: amount, balance_after_cents: toBalance, created_at: row.created_at }
  ]).execute()
  return row
}
