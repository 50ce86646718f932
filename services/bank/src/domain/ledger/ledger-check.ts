import type { DatabaseHandle } from '@nestegg/platform'
import { type Kysely, sql } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'
import { FUNDING_ACCOUNT } from './bank-accounts.js'

export interface LedgerReport {
  accounts: number
  transfers: number
  /** Money the bank has issued to customers: minus the funding account's balance. */
  issuedCents: number
  /** One line per broken invariant, each starting with the invariant's name. */
  violations: string[]
}

const bigint = (expression: ReturnType<typeof sql>) => sql<number>`cast(coalesce(${expression}, 0) as bigint)`

async function runChecks (db: Kysely<BankDatabase>): Promise<LedgerReport> {
  const violations: string[] = []

  const totals = await db.selectFrom('accounts')
    .select([bigint(sql`sum(balance_cents)`).as('balances'), bigint(sql`sum(opening_balance_cents)`).as('openings')])
    .executeTakeFirstOrThrow()
  if (Number(totals.balances) !== Number(totals.openings)) {
    violations.push(`balances-sum: all balances sum to ${totals.balances} cents but the opening amounts to ` +
      `${totals.openings}: money was created or destroyed`)
  }

  const drifted = await db.selectFrom('accounts as a')
    .leftJoin('entries as e', 'e.account_id', 'a.id')
    .select(['a.number', 'a.balance_cents', 'a.opening_balance_cents', bigint(sql`sum(e.amount_cents)`).as('entries')])
    .groupBy(['a.id', 'a.number', 'a.balance_cents', 'a.opening_balance_cents'])
    .having(sql<boolean>`a.balance_cents <> a.opening_balance_cents + coalesce(sum(e.amount_cents), 0)`)
    .execute()
  for (const row of drifted) {
    violations.push(`account-replay: account ${row.number} holds ${row.balance_cents} cents but its opening amount ` +
      `plus its entries is ${Number(row.opening_balance_cents) + Number(row.entries)}`)
  }

  const unbalanced = await db.selectFrom('transfers as t')
    .leftJoin('entries as e', 'e.transfer_id', 't.id')
    .select(['t.id', sql<number>`count(e.transfer_id)`.as('entries'), bigint(sql`sum(e.amount_cents)`).as('total')])
    .groupBy('t.id')
    .having((eb) => eb.or([
      sql<boolean>`count(e.transfer_id) <> 2`,
      sql<boolean>`coalesce(sum(e.amount_cents), 0) <> 0`,
      sql<boolean>`sum(case when e.account_id = t.from_account_id and e.amount_cents = -t.amount_cents then 1 else 0 end) <> 1`,
      sql<boolean>`sum(case when e.account_id = t.to_account_id and e.amount_cents = t.amount_cents then 1 else 0 end) <> 1`
    ]))
    .execute()
  for (const row of unbalanced) {
    violations.push(`transfer-entries: transfer ${row.id} has ${row.entries} entries summing to ${row.total} ` +
      '(it needs exactly one debit of its source and one credit of its destination, summing to zero)')
  }

  const negative = await db.selectFrom('accounts').select(['number', 'balance_cents'])
    .where('balance_cents', '<', 0).where('type', '<>', 'funding').execute()
  for (const row of negative) {
    violations.push(`no-negative-balance: account ${row.number} holds ${row.balance_cents} cents`)
  }

  const counts = await db.selectFrom('accounts')
    .select([
      sql<number>`count(*)`.as('accounts'),
      sql<number>`(select count(*) from transfers)`.as('transfers'),
      bigint(sql`(select balance_cents from accounts where id = ${FUNDING_ACCOUNT.id})`).as('funding')
    ])
    .executeTakeFirstOrThrow()
  return {
    accounts: Number(counts.accounts),
    transfers: Number(counts.transfers),
    issuedCents: -Number(counts.funding),
    violations
  }
}

/**
 * Checks the ledger's invariants on one consistent snapshot: money is neither created nor destroyed,
 * every balance replays from its entries, every transfer has exactly two entries summing to zero, and
 * no customer balance is negative.
 */
export async function checkLedger (database: DatabaseHandle<BankDatabase>): Promise<LedgerReport> {
  const transaction = database.engine === 'postgres'
    ? database.db.transaction().setIsolationLevel('repeatable read')
    : database.db.transaction()
  return transaction.execute(runChecks)
}
