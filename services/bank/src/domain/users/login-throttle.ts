import { type DatabaseHandle, writeTransaction } from '@nestegg/platform'
import type { BankDatabase } from '../../db/schema.js'

export interface BackoffPolicy {
  /** Failures allowed before any wait. */
  freeFailures: number
  /** The first wait; each further failure doubles it. */
  baseDelayMs: number
  maxDelayMs: number
  /** Rows untouched this long are forgotten (the count starts again). */
  forgetAfterMs: number
}

/** Five tries free, then 1 s, 2 s, 4 s … up to 15 minutes between tries. */
export const LOGIN_BACKOFF: BackoffPolicy = {
  freeFailures: 5,
  baseDelayMs: 1000,
  maxDelayMs: 15 * 60 * 1000,
  forgetAfterMs: 24 * 60 * 60 * 1000
}

/** How long to refuse logins after `failures` consecutive failures. */
export function backoffDelayMs (failures: number, policy: BackoffPolicy = LOGIN_BACKOFF): number {
  if (failures < policy.freeFailures) return 0
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - policy.freeFailures))
}

/**
 * Per-account exponential backoff, stored in the database so that every copy of the bank shares it.
 * Keyed by the username as submitted, so an unknown username is throttled exactly like a real one
 * and the answer never tells them apart.
 */
export function createLoginThrottle (database: DatabaseHandle<BankDatabase>, now: () => number, policy = LOGIN_BACKOFF) {
  const db = database.db
  return {
    /** Failures so far, and milliseconds until this username may try again (0: it may try now). */
    async state (username: string): Promise<{ failures: number, waitMs: number }> {
      const row = await db.selectFrom('login_throttle').select(['failures', 'blocked_until'])
        .where('username', '=', username).executeTakeFirst()
      return { failures: row?.failures ?? 0, waitMs: Math.max(0, (row?.blocked_until ?? 0) - now()) }
    },

    /** Counts one failure atomically (several copies may record at once) and extends the wait. */
    async recordFailure (username: string): Promise<void> {
      const at = now()
      await writeTransaction(database, async (trx) => {
        const { failures } = await trx.insertInto('login_throttle')
          .values({ username, failures: 1, blocked_until: 0, updated_at: at })
          .onConflict((conflict) => conflict.column('username').doUpdateSet((eb) => ({
            failures: eb('login_throttle.failures', '+', 1),
            updated_at: at
          })))
          .returning('failures')
          .executeTakeFirstOrThrow()
        const blockedUntil = at + backoffDelayMs(failures, policy)
        await trx.updateTable('login_throttle').set({ blocked_until: blockedUntil })
          .where('username', '=', username).where('blocked_until', '<', blockedUntil).execute()
      })
      await db.deleteFrom('login_throttle').where('updated_at', '<', at - policy.forgetAfterMs).execute()
    },

    /** A successful login starts the count again. */
    async reset (username: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('username', '=', username).execute()
    }
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
