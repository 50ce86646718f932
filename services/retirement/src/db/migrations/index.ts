import type { Migration } from 'kysely/migration'
import * as plans from './0001-plans.js'
import * as contributions from './0002-contributions.js'
import * as revokedSessions from './0002-revoked-sessions.js'

/** Every migration, by name; names sort in the order they apply. */
export const migrations: Record<string, Migration> = {
  '0001-plans': plans,
  '0002-contributions': contributions,
  '0002-revoked-sessions': revokedSessions
}
