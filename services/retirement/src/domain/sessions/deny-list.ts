import type { Kysely } from 'kysely'
import type { RetirementDatabase } from '../../db/schema.js'

export interface RevokedSession {
  sessionId: string
  userId: string
  /** When the bank ended the session (ms since the epoch). */
  revokedAt: number
}

/**
 * Session ids the bank has ended. Kept in retirement's own database (it survives a restart) until
 * the longest access token of the session could have expired; checked on every request, locally.
 */
export function createDenyList (db: Kysely<RetirementDatabase>, options: { holdSeconds: number, clock: () => number }) {
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
    },

    async isRevoked (sessionId: string): Promise<boolean> {
      const row = await db.selectFrom('revoked_sessions').select('session_id')
        .where('session_id', '=', sessionId).where('expires_at', '>', options.clock()).executeTakeFirst()
      return row !== undefined
    }
  }
}

export type DenyList = ReturnType<typeof createDenyList>
