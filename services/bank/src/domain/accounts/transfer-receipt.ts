import type { Kysely } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'
import type { Cents } from '../ledger/money.js'

/** Who an account number belongs to, as the transfer review shows it before any money moves. */
export interface Recipient {
  name: string
  number: string
}

/** A transfer the user sent, as its confirmation page shows it. */
export interface TransferReceipt {
  id: string
  amountCents: Cents
  from: { name: string, number: string, balanceAfterCents: Cents }
  /** The owner's name for another customer's account; the account's own name for the user's. */
  to: { name: string, number: string, sendersOwn: boolean }
  memo: string | null
  createdAt: string
}

/** A customer account's holder by its number (never the bank's own accounts). */
export async function findRecipient (db: Kysely<BankDatabase>, number: string): Promise<Recipient | undefined> {
  const row = await db.selectFrom('accounts as a').innerJoin('users as u', 'u.id', 'a.user_id')
    .select(['u.name', 'a.number']).where('a.number', '=', number).executeTakeFirst()
  return row === undefined ? undefined : { name: row.name, number: row.number }
}

/** A transfer out of one of the user's accounts; undefined for any other id (someone else's too). */
export async function findReceipt (db: Kysely<BankDatabase>, userId: string, transferId: string): Promise<TransferReceipt | undefined> {
  const row = await db.selectFrom('transfers as t')
    .innerJoin('accounts as f', 'f.id', 't.from_account_id')
    .innerJoin('entries as e', (join) => join.onRef('e.transfer_id', '=', 't.id').onRef('e.account_id', '=', 't.from_account_id'))
    .innerJoin('accounts as d', 'd.id', 't.to_account_id')
    .leftJoin('users as u', 'u.id', 'd.user_id')
    .select(['t.id', 't.amount_cents', 't.memo', 't.created_at', 'f.name as from_name', 'f.number as from_number',
      'e.balance_after_cents', 'd.name as to_account_name', 'd.number as to_number', 'd.user_id as to_user_id', 'u.name as to_owner_name'])
    .where('t.id', '=', transferId)
    .where('f.user_id', '=', userId)
    .where('t.kind', '=', 'transfer')
    .executeTakeFirst()
  if (row === undefined) return undefined
  const sendersOwn = row.to_user_id === userId
  return {
    id: row.id,
    amountCents: Number(row.amount_cents),
    from: { name: row.from_name, number: row.from_number, balanceAfterCents: Number(row.balance_after_cents) },
    to: { name: sendersOwn ? row.to_account_name : (row.to_owner_name ?? row.to_account_name), number: row.to_number, sendersOwn },
    memo: row.memo,
    createdAt: new Date(Number(row.created_at)).toISOString()
  }
}
