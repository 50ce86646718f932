/**
 * `npm run reconcile`: compares the bank's transfers into its retirement clearing account with
 * retirement's completed contributions, reading both databases directly:
 *   BANK_DATABASE_URL        (default: services/bank/data/bank.db, the bank's own default)
 *   RETIREMENT_DATABASE_URL  (default: DATABASE_URL, then services/retirement/data/retirement.db)
 * Exits 0 when they match one to one with equal amounts; 1 naming each mismatch; 2 when a database
 * cannot be read.
 */
import { fileURLToPath } from 'node:url'
import type { RetirementDatabase } from '../db/schema.js'
import { DEFAULT_SQLITE_FILE } from '../plugins/database.js'
import { openExisting, readClearingTransfers, readContributions } from '../reconcile/read-ledgers.js'
import { reconcile } from '../reconcile/reconcile.js'

const BANK_DEFAULT_SQLITE_FILE = fileURLToPath(new URL('../../../bank/data/bank.db', import.meta.url))

async function main (): Promise<number> {
  let bank, retirement
  try {
    bank = openExisting<unknown>(process.env.BANK_DATABASE_URL, BANK_DEFAULT_SQLITE_FILE, 'BANK_DATABASE_URL')
    retirement = openExisting<RetirementDatabase>(process.env.RETIREMENT_DATABASE_URL ?? process.env.DATABASE_URL, DEFAULT_SQLITE_FILE, 'RETIREMENT_DATABASE_URL')
    const [transfers, contributions] = await Promise.all([readClearingTransfers(bank), readContributions(retirement)])
    const mismatches = reconcile(transfers, contributions)
    const completed = contributions.filter((contribution) => contribution.status === 'completed').length
    if (mismatches.length === 0) {
      process.stdout.write(`reconcile: ${transfers.length} clearing transfers and ${completed} completed contributions match one to one\n`)
      return 0
    }
    for (const mismatch of mismatches) process.stderr.write(`mismatch: ${mismatch}\n`)
    process.stderr.write(`reconcile: ${mismatches.length} mismatches (${transfers.length} clearing transfers, ${completed} completed contributions)\n`)
    return 1
  } catch (error) {
    process.stderr.write(`reconcile: ${(error as Error).message}\n`)
    return 2
  } finally {
    await Promise.all([bank?.db.destroy(), retirement?.db.destroy()])
  }
}

process.exitCode = await main()
