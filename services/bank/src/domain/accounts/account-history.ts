import type { Kysely } from 'kysely'
import type { BankDatabase, TransferKind } from '../../db/schema.js'
import type { Cents } from '../ledger/money.js'

export interface HistoryItem {
  transferId: string
  kind: TransferKind
  accountId: string
  /** Negative when money left the account. */
  amountCents: Cents
  balanceAfterCents: Cents
  memo: string | null
  counterparty: {
    accountNumber: string
    /** The account's name when it is the user's own or the bank's; otherwise its owner's name. */
    name: string
  }
  createdAt: string
}

export interface HistoryPage {
  items: HistoryItem[]
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null
}

/**
 * Entries of the user's accounts (or one of them), newest first, with the account on the other side
 * of each transfer. Transfer ids sort by time, so the cursor is simply the last id seen.
 */
export async function listEntries (
  db: Kysely<BankDatabase>,
  userId: string,
  query: { accountId?: string | undefined, limit: number, before?: string | undefined }
): Promise<HistoryPage> {
  const rows = await db.selectFrom('entries as e')
    .innerJoin('accounts as a', 'a.id', 'e.account_id')
    .innerJoin('transfers as t', 't.id', 'e.transfer_id')
    .innerJoin('accounts as c', (join) => join
      .on((eb) => eb.or([eb('c.id', '=', eb.ref('t.from_account_id')), eb('c.id', '=', eb.ref('t.to_account_id'))]))
      .onRef('c.id', '<>', 'e.account_id'))
    .leftJoin('users as u', 'u.id', 'c.user_id')
    .select([
      'e.transfer_id', 'e.account_id', 'e.amount_cents', 'e.balance_after_cents', 'e.created_at',
      't.kind', 't.memo', 'c.number as counter_number', 'c.name as counter_account_name',
      'c.user_id as counter_user_id', 'u.name as counter_owner_name'
    ])
    .where('a.user_id', '=', userId)
    .$if(query.accountId !== undefined, (builder) => builder.where('e.account_id', '=', query.accountId as string))
    .$if(query.before !== undefined, (builder) => builder.where('e.transfer_id', '<', query.before as string))
    .orderBy('e.transfer_id', 'desc')
    .orderBy('e.account_id')
    .limit(query.limit + 1)
    .execute()

  const items = rows.slice(0, query.limit).map((row): HistoryItem => ({
    transferId: row.transfer_id,
    kind: row.kind,
    accountId: row.account_id,
    amountCents: Number(row.amount_cents),
    balanceAfterCents: Number(row.balance_after_cents),
    memo: row.memo,
    counterparty: {
      accountNumber: row.counter_number,
      name: row.counter_user_id === null || row.counter_user_id === userId
        ? row.counter_account_name
        : row.counter_owner_name ?? 'Another customer'
    },
    createdAt: new Date(Number(row.created_at)).toISOString()
  }))
  const more = rows.length > query.limit
  // Across all accounts, a transfer between two of them shows twice; the cursor is per account only.
  return { items, nextBefore: more && query.accountId !== undefined ? items.at(-1)?.transferId ?? null : null }
}
