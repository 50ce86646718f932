import { type DatabaseHandle, writeTransaction } from '@nestegg/platform'
import type { ContributionsTable, RetirementDatabase } from '../../db/schema.js'

export type ContributionRow = ContributionsTable

/** Every write that moves a contribution out of `pending` is conditional on it still being pending. */
export function createContributionRepository (database: DatabaseHandle<RetirementDatabase>) {
  const db = database.db
  return {
    async findById (id: string): Promise<ContributionRow | undefined> {
      return db.selectFrom('contributions').selectAll().where('id', '=', id).executeTakeFirst()
    },

    async findByKey (userId: string, key: string): Promise<ContributionRow | undefined> {
      return db.selectFrom('contributions').selectAll()
        .where('user_id', '=', userId).where('idempotency_key', '=', key).executeTakeFirst()
    },

    async listForPlan (planId: string): Promise<ContributionRow[]> {
      return db.selectFrom('contributions').selectAll().where('plan_id', '=', planId)
        .orderBy('created_at', 'desc').orderBy('id').execute()
    },

    async listRecentForUser (userId: string, limit: number): Promise<ContributionRow[]> {
      return db.selectFrom('contributions').selectAll().where('user_id', '=', userId)
        .orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()
    },

    /**
     * Claims the pending contribution due first: one statement that takes a lease (next_attempt_at
     * moves to `leaseUntil`) and counts the attempt, so of several processes polling at once exactly
     * one gets each row. Undefined when nothing is due.
     */
    async claimNextDue (now: number, leaseUntil: number): Promise<ContributionRow | undefined> {
      const next = db.selectFrom('contributions').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').orderBy('id').limit(1)
        // Engine-specific: on PostgreSQL a row another process is claiming right now is skipped,
        // not waited for. SQLite has no SKIP LOCKED and needs none: it runs one writer at a time.
        .$if(database.engine === 'postgres', (query) => query.forUpdate().skipLocked())
      return db.updateTable('contributions')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil, updated_at: now }))
        .where('id', '=', next)
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .returningAll()
        .executeTakeFirst()
    },

    /**
     * Claims one contribution for an attempt, if nobody has claimed it since it was read with
     * `attemptsSeen` attempts; false when it is no longer pending or another attempt got there first.
     */
    async startAttempt (id: string, attemptsSeen: number, now: number, leaseUntil: number): Promise<boolean> {
      const result = await db.updateTable('contributions')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil, updated_at: now }))
        .where('id', '=', id).where('status', '=', 'pending').where('attempts', '=', attemptsSeen)
        .executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** Completed and credited in one transaction, once: a second call finds nothing pending and credits nothing. */
    async complete (id: string, transferId: string, now: number): Promise<boolean> {
      return writeTransaction(database, async (trx) => {
        const row = await trx.selectFrom('contributions').select(['plan_id', 'amount_cents'])
          .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
        if (row === undefined) return false
        const updated = await trx.updateTable('contributions')
          .set({ status: 'completed', bank_transfer_id: transferId, completed_at: now, updated_at: now, last_error: null })
          .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
        if (updated.numUpdatedRows !== 1n) return false
        await trx.updateTable('plans')
          .set((eb) => ({ balance_cents: eb('balance_cents', '+', row.amount_cents) }))
          .where('id', '=', row.plan_id).execute()
        return true
      })
    },

    async fail (id: string, code: string, reason: string, now: number): Promise<boolean> {
      const result = await db.updateTable('contributions')
        .set({ status: 'failed', failure_code: code.slice(0, 64), failure_reason: reason.slice(0, 500), updated_at: now })
        .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    async scheduleRetry (id: string, nextAttemptAt: number, error: string, now: number): Promise<void> {
      await db.updateTable('contributions')
        .set({ next_attempt_at: nextAttemptAt, last_error: error.slice(0, 500), updated_at: now })
        .where('id', '=', id).where('status', '=', 'pending').execute()
    }
  }
}

export type ContributionRepository = ReturnType<typeof createContributionRepository>
