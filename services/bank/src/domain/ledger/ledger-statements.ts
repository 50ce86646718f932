import type { Engine } from '@nestegg/platform'
import { CompiledQuery, type Kysely, type QueryResult } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'

/**
 * The ledger's hot path as a fixed set of SQL statements, one text per engine, run through Kysely's
 * executeQuery with parameters bound per call: no query building or compiling per transfer, and on
 * SQLite the platform's statement cache prepares each text once. Written with `?`; PostgreSQL gets
 * `$1…$n`. Everything else in the bank uses Kysely's builder.
 */
const TEXTS = {
  accountsById: 'select id, number, user_id from accounts where (id = ? and user_id = ?) or id = ?',
  accountsByNumber: 'select id, number, user_id from accounts where (id = ? and user_id = ?) or number = ?',
  // Idempotency is the unique (user_id, idempotency_key): a second insert with the same key books
  // nothing and returns no row (on PostgreSQL, after the first one's transaction has committed).
  insertTransfer: 'insert into transfers (id, kind, user_id, idempotency_key, request_hash, from_account_id, ' +
    'to_account_id, amount_cents, memo, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ' +
    'on conflict (user_id, idempotency_key) do nothing returning id',
  // Conditional: never read-then-write. Only the funding account may go below zero.
  debit: "update accounts set balance_cents = balance_cents - ? where id = ? and (balance_cents >= ? or type = 'funding') returning balance_cents",
  credit: 'update accounts set balance_cents = balance_cents + ? where id = ? returning balance_cents',
  // Both entries of a transfer in one statement.
  insertEntries: 'insert into entries (transfer_id, account_id, amount_cents, balance_after_cents, created_at) ' +
    'values (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)',
  transferByKey: 'select t.id, t.kind, t.request_hash, t.from_account_id, t.to_account_id, t.amount_cents, t.memo, ' +
    't.created_at, a.number as to_number from transfers t join accounts a on a.id = t.to_account_id ' +
    'where t.user_id = ? and t.idempotency_key = ?'
} as const

export type LedgerStatement = keyof typeof TEXTS

function numbered (text: string): string {
  let n = 0
  return text.replace(/\?/g, () => `$${++n}`)
}

const BY_ENGINE: Record<Engine, Record<LedgerStatement, string>> = {
  sqlite: TEXTS,
  postgres: Object.fromEntries(Object.entries(TEXTS).map(([name, text]) => [name, numbered(text)])) as Record<LedgerStatement, string>
}

export type RunStatement = <R>(trx: Kysely<BankDatabase>, name: LedgerStatement, parameters: readonly unknown[]) => Promise<QueryResult<R>>

/** Runs one of the ledger's statements on `trx` (a transaction or the database). */
export function ledgerStatements (engine: Engine): RunStatement {
  const texts = BY_ENGINE[engine]
  return (trx, name, parameters) => trx.executeQuery(CompiledQuery.raw(texts[name], parameters as unknown[]))
}
