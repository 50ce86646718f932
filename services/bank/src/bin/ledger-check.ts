/**
 * `npm run ledger:check -w services/bank`: checks the ledger invariants on DATABASE_URL (or the
 * default SQLite file) and exits 1, naming each violation, when one fails.
 */
import { openDatabase, parseDatabaseUrl } from '@nestegg/platform'
import { loadBankConfig } from '../config.js'
import type { BankDatabase } from '../db/schema.js'
import { checkLedger } from '../domain/ledger/ledger-check.js'
import { DEFAULT_SQLITE_FILE } from '../plugins/database.js'

const config = loadBankConfig()
const handle = openDatabase<BankDatabase>(parseDatabaseUrl(config.DATABASE_URL, DEFAULT_SQLITE_FILE))
try {
  const report = await checkLedger(handle)
  for (const violation of report.violations) process.stderr.write(`ledger: VIOLATION ${violation}\n`)
  const summary = `${report.accounts} accounts, ${report.transfers} transfers, ${report.issuedCents} cents issued`
  if (report.violations.length > 0) {
    process.stderr.write(`ledger: ${report.violations.length} violation(s) in ${handle.location} (${summary})\n`)
    process.exitCode = 1
  } else {
    process.stdout.write(`ledger: ok (${summary}) in ${handle.location}\n`)
  }
} catch (error) {
  process.stderr.write(`ledger: could not check ${handle.location}: ${(error as Error).message}\n`)
  process.exitCode = 2
} finally {
  await handle.db.destroy()
}
