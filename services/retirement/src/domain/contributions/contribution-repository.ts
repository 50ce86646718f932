import { type DatabaseHandle, writeTransaction } from '@nestegg/platform'
import type { ContributionsTable, RetirementDatabase } from '../../db/schema.js'

export type ContributionRow = ContributionsTable

/** Every write that moves a contribution out of `pending` is conditional on it still being pending. */
export function createContributionRepository (handle: DatabaseHandle<RetirementDatabase>) {
  const db = handle.db
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

    async dueIds (now: number, limit: number): Promise<string[]> {
      const rows = await db.selectFrom('contributions').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').limit(limit).execute()
      return rows.map((row) => row.id)
    },

    /** Marks an attempt as started; false when the contribution is no longer pending. */
    async startAttempt (id: string, now: number, leaseUntil: number): Promise<boolean> {
      const result = await db.updateTable('contributions')
        .set((eb) => ({ attempts: eb('attempts', '+', 1), next_attempt_at: leaseUntil, updated_at: now }))
        .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst()
      return result.numUpdatedRows === 1n
    },

    /** Completed and credited in one transaction, once: a second call finds nothing pending and credits nothing. */
    async complete (id: string, transferId: string, now: number): Promise<boolean> {
      return writeTransaction(handle, async (trx) => {
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
