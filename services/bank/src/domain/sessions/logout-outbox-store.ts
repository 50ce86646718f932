import type { LogoutOutboxStore } from '@nestegg/shared-auth'
import type { Kysely } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'

/** The issuer's logout outbox on the bank's database: rows written with each revocation. */
export function logoutOutboxStore (db: Kysely<BankDatabase>): LogoutOutboxStore {
  return {
    async due (now, limit) {
      const rows = await db.selectFrom('logout_deliveries').select(['id', 'session_id', 'user_id', 'party', 'attempts'])
        .where('delivered_at', 'is', null).where('next_attempt_at', '<=', now).where('give_up_at', '>', now)
        .orderBy('next_attempt_at', 'asc').limit(limit).execute()
      return rows.map((row) => ({ id: row.id, sessionId: row.session_id, userId: row.user_id, party: row.party, attempts: row.attempts }))
    },
    async delivered (id, at, attempts) {
      await db.updateTable('logout_deliveries').set({ delivered_at: at, attempts }).where('id', '=', id).execute()
    },
    async retryAt (id, attempts, at) {
      await db.updateTable('logout_deliveries').set({ attempts, next_attempt_at: at }).where('id', '=', id).execute()
    }
  }
}
