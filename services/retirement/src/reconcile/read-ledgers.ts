import { existsSync } from 'node:fs'
import { type DatabaseHandle, openDatabase, parseDatabaseUrl } from '@nestegg/platform'
import { sql } from 'kysely'
import type { RetirementDatabase } from '../db/schema.js'
import type { ClearingTransfer, ContributionRecord } from './reconcile.js'

/** The bank's retirement clearing account, by its documented account number (bank README, "Ledger"). */
export const RETIREMENT_CLEARING_ACCOUNT_NUMBER = '9000000027'

/** Opens a service's database read-only in spirit: no migrations, and a missing SQLite file is an error, not a new file. */
export function openExisting<DB> (url: string | undefined, defaultSqliteFile: string, variable: string): DatabaseHandle<DB> {
  const location = parseDatabaseUrl(url, defaultSqliteFile)
  if (location.engine === 'sqlite' && location.target !== ':memory:' && !existsSync(location.target)) {
    throw new Error(`${variable}: no database at ${location.target}`)
  }
  return openDatabase<DB>(location)
}

/**
 * Reads the bank's ledger directly: every transfer into the clearing account. This couples the
 * command to two bank tables (transfers, accounts), on purpose: reconciliation must read what the
 * bank booked, not what the bank's API chooses to say about it. The e2e suite runs it against the
 * real bank, so a schema change there fails a test here.
 */
export async function readClearingTransfers (bank: DatabaseHandle<unknown>): Promise<ClearingTransfer[]> {
  const result = await sql<{ id: string, idempotency_key: string | null, user_id: string, amount_cents: number | string }>`
    select t.id, t.idempotency_key, t.user_id, t.amount_cents
    from transfers t join accounts a on a.id = t.to_account_id
    where a.number = ${RETIREMENT_CLEARING_ACCOUNT_NUMBER}
    order by t.id`.execute(bank.db)
  return result.rows.map((row) => ({
    transferId: row.id,
    contributionId: row.idempotency_key,
    userId: row.user_id,
    amountCents: Number(row.amount_cents)
  }))
}

export async function readContributions (retirement: DatabaseHandle<RetirementDatabase>): Promise<ContributionRecord[]> {
  const rows = await retirement.db.selectFrom('contributions')
    .select(['id', 'user_id', 'status', 'amount_cents', 'bank_transfer_id']).orderBy('created_at').execute()
  return rows.map((row) => ({
    id: row.id,
    userId: row.user_id,
    status: row.status,
    amountCents: Number(row.amount_cents),
    bankTransferId: row.bank_transfer_id
  }))
}
