import type { Migration } from 'kysely'
import * as users from './0001-users.js'
import * as sessions from './0002-sessions.js'
import * as ledger from './0003-ledger.js'

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001-users': users,
  '0002-sessions': sessions,
  '0003-ledger': ledger
}
