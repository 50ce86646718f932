import type { Migration } from 'kysely/migration'
import * as users from './0001-users.js'
import * as sessions from './0002-sessions.js'
import * as ledger from './0003-ledger.js'
import * as loginThrottle from './0005-login-throttle.js'
import * as rateLimitCounters from './0006-rate-limit-counters.js'
import * as logoutDeliveryParty from './0007-logout-delivery-party.js'
import * as refreshSuccessor from './0008-refresh-successor.js'
import * as signInStrength from './0009-sign-in-strength-and-security-events.js'
import * as passkeys from './0010-passkeys.js'

/**
 * Every migration, by name; names sort in the order they apply. Numbers leave gaps where several
 * branches added migrations at once, so that none lands before one already applied.
 */
export const migrations: Record<string, Migration> = {
  '0001-users': users,
  '0002-sessions': sessions,
  '0003-ledger': ledger,
  '0005-login-throttle': loginThrottle,
  '0006-rate-limit-counters': rateLimitCounters,
  '0007-logout-delivery-party': logoutDeliveryParty,
  '0008-refresh-successor': refreshSuccessor,
  '0009-sign-in-strength-and-security-events': signInStrength,
  '0010-passkeys': passkeys
}
