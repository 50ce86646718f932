import { randomUUID } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { BankDatabase, SessionsTable } from '../../db/schema.js'

export type SessionRow = SessionsTable

/**
 * Queries on sessions, their refresh-token hashes and the logout outbox (one notice per relying
 * party); callers own the transaction.
 */
export function sessionQueries (db: Kysely<BankDatabase>, parties: readonly string[]) {
  return {
    findSession: (id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst(),
    /** What the check on every authenticated request needs, and nothing more. */
    sessionStatus: (id: string) => db.selectFrom('sessions').select(['revoked_at', 'expires_at']).where('id', '=', id).executeTakeFirst(),
    findToken: (hash: string) => db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst(),
    /** The session's one unspent refresh token (each rotation spends one and issues one). */
    currentToken: (sessionId: string) => db.selectFrom('refresh_tokens').selectAll()
      .where('session_id', '=', sessionId).where('used_at', 'is', null).orderBy('issued_at', 'desc').limit(1).executeTakeFirst(),
    insertSession: (row: SessionRow) => db.insertInto('sessions').values(row).execute(),
    insertToken: (hash: string, sessionId: string, now: number) =>
      db.insertInto('refresh_tokens').values({ token_hash: hash, session_id: sessionId, issued_at: now, used_at: null, successor_sealed: null }).execute(),
    keepSuccessor: (hash: string, sealed: string) =>
      db.updateTable('refresh_tokens').set({ successor_sealed: sealed }).where('token_hash', '=', hash).execute(),
    /** Marks a token used only if nobody used it first; 1 when this caller won. */
    async useToken (hash: string, now: number): Promise<number> {
      const result = await db.updateTable('refresh_tokens').set({ used_at: now })
        .where('token_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst()
      return Number(result.numUpdatedRows)
    },
    touch: (id: string, now: number) => db.updateTable('sessions').set({ last_used_at: now }).where('id', '=', id).execute(),
    /** Ends the given live sessions and queues a back-channel notice for each and each party; returns the ids ended. */
    async revoke (ids: string[], reason: string, now: number, giveUpAt: number): Promise<string[]> {
      if (ids.length === 0) return []
      const live = await db.selectFrom('sessions').select(['id', 'user_id'])
        .where('id', 'in', ids).where('revoked_at', 'is', null).execute()
      if (live.length === 0) return []
      await db.updateTable('sessions').set({ revoked_at: now, revoked_reason: reason })
        .where('id', 'in', live.map((row) => row.id)).where('revoked_at', 'is', null).execute()
      const notices = live.flatMap((row) => parties.map((party) => ({
        id: randomUUID(),
        session_id: row.id,
        user_id: row.user_id,
        party,
        created_at: now,
        next_attempt_at: now,
        give_up_at: giveUpAt,
        delivered_at: null
      })))
      if (notices.length > 0) await db.insertInto('logout_deliveries').values(notices).execute()
      return live.map((row) => row.id)
    },
    liveSessionIds: async (userId: string) => (await db.selectFrom('sessions').select('id')
      .where('user_id', '=', userId).where('revoked_at', 'is', null).execute()).map((row) => row.id),
    listLive: (userId: string, now: number, idleSince: number) => db.selectFrom('sessions').selectAll()
      .where('user_id', '=', userId).where('revoked_at', 'is', null)
      .where('expires_at', '>', now).where('last_used_at', '>', idleSince)
      .orderBy('last_used_at', 'desc').execute(),
    revokedSince: (since: number) => db.selectFrom('sessions').select(['id', 'user_id', 'revoked_at'])
      .where('revoked_at', '>=', since).orderBy('revoked_at', 'asc').limit(10000).execute()
  }
}

export type SessionQueries = ReturnType<typeof sessionQueries>
