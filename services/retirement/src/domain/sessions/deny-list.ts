import { createRecheckCache } from '@nestegg/platform'
import type { DenyListStore } from '@nestegg/shared-auth'
import type { Kysely } from 'kysely'
import type { RetirementDatabase } from '../../db/schema.js'

/**
 * How long an answer read from the database is reused for a session: every authenticated request
 * asks. A revocation this instance records is seen at once; one recorded by another instance
 * sharing the database, within this delay. Half a second, so that a logout the bank told one copy
 * (behind a load balancer) reaches every copy well inside the 2 s promised, with the delivery's own
 * time on top; the price is two indexed reads a second per signed-in session and copy.
 */
export const DENY_LIST_RECHECK_MS = 500

/**
 * relyingParty's deny-list on retirement's own database: it survives a restart and is shared by
 * every copy. Each session is kept until its last access token has expired.
 */
export function databaseDenyList (db: Kysely<RetirementDatabase>, options: { clock: () => number }): DenyListStore {
  const recent = createRecheckCache<boolean>({ recheckMs: DENY_LIST_RECHECK_MS, max: 10_000, clock: options.clock })
  return {
    async add (sessions) {
      for (const session of sessions) {
        await db.insertInto('revoked_sessions')
          .values({ session_id: session.sessionId, user_id: session.userId, revoked_at: session.revokedAt, expires_at: session.expiresAt })
          .onConflict((conflict) => conflict.column('session_id').doUpdateSet({ expires_at: session.expiresAt }))
          .execute()
      }
      await db.deleteFrom('revoked_sessions').where('expires_at', '<=', options.clock()).execute()
      recent.forget(sessions.map((session) => session.sessionId))
    },

    isRevoked: (sessionId) => recent.get(sessionId, async () => {
      const row = await db.selectFrom('revoked_sessions').select('session_id')
        .where('session_id', '=', sessionId).where('expires_at', '>', options.clock()).executeTakeFirst()
      return row !== undefined
    })
  }
}
