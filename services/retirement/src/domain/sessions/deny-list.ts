import type { Kysely } from 'kysely'
import type { RetirementDatabase } from '../../db/schema.js'

export interface RevokedSession {
  sessionId: string
  userId: string
  /** When the bank ended the session (ms since the epoch). */
  revokedAt: number
}

/**
 * How long an answer read from the database is reused for a session. Every authenticated request
 * asks; a query each time was a fifth of the CPU of retirement's hot path (docs/benchmarks.md). A
 * revocation this instance records is seen at once; one recorded by another instance sharing the
 * database, within this delay.
 */
export const DENY_LIST_RECHECK_MS = 1000
const MAX_REMEMBERED_SESSIONS = 10_000

/**
 * Session ids the bank has ended. Kept in retirement's own database (it survives a restart) until
 * the longest access token of the session could have expired; checked on every request, locally.
 */
export function createDenyList (db: Kysely<RetirementDatabase>, options: { holdSeconds: number, clock: () => number }) {
  const recent = new Map<string, { revoked: boolean, checkedAt: number }>()
  // Bumped by every add(), so that a lookup that raced with it does not remember a stale answer.
  let generation = 0
  return {
    async add (sessions: RevokedSession[]): Promise<void> {
      const now = options.clock()
      for (const session of sessions) {
        const expiresAt = Math.max(now, session.revokedAt) + options.holdSeconds * 1000
        await db.insertInto('revoked_sessions')
          .values({ session_id: session.sessionId, user_id: session.userId, revoked_at: session.revokedAt, expires_at: expiresAt })
          .onConflict((conflict) => conflict.column('session_id').doUpdateSet({ expires_at: expiresAt }))
          .execute()
      }
      await db.deleteFrom('revoked_sessions').where('expires_at', '<=', now).execute()
      generation++
      for (const session of sessions) recent.delete(session.sessionId)
    },

    async isRevoked (sessionId: string): Promise<boolean> {
      const now = options.clock()
      const known = recent.get(sessionId)
      if (known !== undefined && now >= known.checkedAt && now - known.checkedAt < DENY_LIST_RECHECK_MS) return known.revoked
      const asked = generation
      const row = await db.selectFrom('revoked_sessions').select('session_id')
        .where('session_id', '=', sessionId).where('expires_at', '>', now).executeTakeFirst()
      if (asked === generation) {
        if (recent.size >= MAX_REMEMBERED_SESSIONS) recent.clear()
        recent.set(sessionId, { revoked: row !== undefined, checkedAt: now })
      }
      return row !== undefined
    }
  }
}

export type DenyList = ReturnType<typeof createDenyList>
