import { randomUUID } from 'node:crypto'
import { type DatabaseHandle, isUniqueViolation, writeTransaction } from '@nestegg/platform'
import type { FastifyBaseLogger } from 'fastify'
import type { RetirementDatabase } from '../../db/schema.js'
import { AnnualLimitError, ContributionNotFoundError, IdempotencyKeyReusedError, PlanNotFoundError } from '../../errors.js'
import type { BankClient } from '../bank/bank-client.js'
import type { Clock } from '../clock.js'
import { formatCents } from '../money.js'
import { contributedInYear } from '../plans/plan-service.js'
import { PLAN_TYPES, type PlanType, annualLimitCents, taxYearOf } from '../plans/plan-types.js'
import { type RetryPolicy, retryDelayMs } from './backoff.js'
import { type ContributionRepository, type ContributionRow, createContributionRepository } from './contribution-repository.js'

export interface ContributionRequest {
  planId: string
  fromAccountId: string
  amountCents: number
}

export interface Contribution {
  id: string
  planId: string
  fromAccountId: string
  amountCents: number
  status: ContributionRow['status']
  /** Why it failed, when it did. */
  reason?: string
  failureCode?: string
  bankTransferId?: string
  createdAt: string
  completedAt?: string
}

export function toContribution (row: ContributionRow): Contribution {
  return {
    id: row.id,
    planId: row.plan_id,
    fromAccountId: row.from_account_id,
    amountCents: row.amount_cents,
    status: row.status,
    ...(row.failure_reason !== null ? { reason: row.failure_reason } : {}),
    ...(row.failure_code !== null ? { failureCode: row.failure_code } : {}),
    ...(row.bank_transfer_id !== null ? { bankTransferId: row.bank_transfer_id } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    ...(row.completed_at !== null ? { completedAt: new Date(row.completed_at).toISOString() } : {})
  }
}

export interface ContributionServiceOptions {
  database: DatabaseHandle<RetirementDatabase>
  bank: BankClient
  clock: Clock
  retry: RetryPolicy
  log: FastifyBaseLogger
}

/**
 * Moving money from a bank account into a plan, exactly once:
 * 1. record the contribution as pending (durably, with its own id) before anything else;
 * 2. ask the bank to debit, with the contribution id as the idempotency key;
 * 3. completed + plan credited in one transaction, or failed with nothing credited;
 * anything in between (bank down, either process killed) leaves it pending for the worker, whose
 * retry reaches the same bank-side debit, never a second one.
 */
export function createContributionService (options: ContributionServiceOptions) {
  const { database, bank, clock, retry, log } = options
  const repository: ContributionRepository = createContributionRepository(database)

  async function recordPending (userId: string, input: ContributionRequest, key: string, requestId: string | undefined): Promise<{ row: ContributionRow, created: boolean }> {
    return writeTransaction(database, async (trx) => {
      const existing = await trx.selectFrom('contributions').selectAll()
        .where('user_id', '=', userId).where('idempotency_key', '=', key).executeTakeFirst()
      if (existing !== undefined) return { row: existing, created: false }
      // PostgreSQL: lock the user's plans so two concurrent requests cannot both pass the limit
      // check. SQLite's BEGIN IMMEDIATE already serialises writers.
      let plansQuery = trx.selectFrom('plans').select(['id', 'type']).where('user_id', '=', userId)
      if (database.engine === 'postgres') plansQuery = plansQuery.forUpdate()
      const plan = (await plansQuery.execute()).find((candidate) => candidate.id === input.planId)
      if (plan === undefined) throw new PlanNotFoundError()
      const now = clock()
      const taxYear = taxYearOf(now)
      const type = plan.type as PlanType
      const limit = annualLimitCents(type, taxYear)
      const already = await contributedInYear(trx, userId, type, taxYear)
      if (already + input.amountCents > limit) {
        throw new AnnualLimitError(
          `${formatCents(input.amountCents)} would exceed the ${taxYear} ${PLAN_TYPES[type].limitGroup === 'ira' ? 'IRA' : PLAN_TYPES[type].label} ` +
          `limit of ${formatCents(limit)}: ${formatCents(already)} is already contributed, ` +
          `${formatCents(Math.max(0, limit - already))} remains`
        )
      }
      const row: ContributionRow = {
        id: randomUUID(),
        user_id: userId,
        plan_id: input.planId,
        from_account_id: input.fromAccountId,
        amount_cents: input.amountCents,
        idempotency_key: key,
        status: 'pending',
        tax_year: taxYear,
        failure_code: null,
        failure_reason: null,
        bank_transfer_id: null,
        attempts: 0,
        // The request that creates it makes the first attempt; the worker steps in after the lease.
        next_attempt_at: now + retry.leaseMs,
        last_error: null,
        request_id: requestId ?? null,
        created_at: now,
        updated_at: now,
        completed_at: null
      }
      await trx.insertInto('contributions').values(row).execute()
      return { row, created: true }
    })
  }

  /** Attempt number `attempt` at the bank debit for a contribution this process has claimed. */
  async function attempt (row: ContributionRow, attempt: number, requestId?: string): Promise<ContributionRow> {
    const id = row.id
    // The plan's name, so that the bank's history says which plan the money went to.
    const plan = await database.db.selectFrom('plans').select('type').where('id', '=', row.plan_id).executeTakeFirst()
    const outcome = await bank.debitForContribution({
      contributionId: row.id,
      userId: row.user_id,
      fromAccountId: row.from_account_id,
      amountCents: row.amount_cents,
      planName: plan !== undefined ? PLAN_TYPES[plan.type as PlanType]?.label : undefined,
      requestId: requestId ?? row.request_id ?? undefined
    })
    const now = clock()
    const context = { contributionId: id, attempt }
    if (outcome.kind === 'debited') {
      const credited = await repository.complete(id, outcome.transferId, now)
      log.info({ ...context, transferId: outcome.transferId, credited }, 'contribution completed')
    } else if (outcome.kind === 'refused') {
      await repository.fail(id, outcome.code, outcome.reason, now)
      log.info({ ...context, code: outcome.code }, 'contribution refused by the bank')
    } else {
      const delay = retryDelayMs(retry, attempt)
      await repository.scheduleRetry(id, now + delay, outcome.error, now)
      log.warn({ ...context, error: outcome.error, retryInMs: delay }, 'bank unavailable; contribution stays pending')
    }
    return (await repository.findById(id)) ?? row
  }

  async function attemptIfPending (id: string, requestId?: string): Promise<ContributionRow> {
    const row = await repository.findById(id)
    if (row === undefined) throw new ContributionNotFoundError()
    if (row.status !== 'pending') return row
    const started = clock()
    if (!(await repository.startAttempt(id, row.attempts, started, started + retry.leaseMs))) return (await repository.findById(id)) ?? row
    return attempt(row, row.attempts + 1, requestId)
  }

  return {
    /**
     * Records the contribution, then makes the first attempt. A repeated Idempotency-Key answers
     * the contribution it first created (and refuses a different body under the same key).
     */
    async request (userId: string, input: ContributionRequest, key: string, requestId?: string): Promise<{ contribution: Contribution, created: boolean }> {
      let recorded: { row: ContributionRow, created: boolean }
      try {
        recorded = await recordPending(userId, input, key, requestId)
      } catch (error) {
        if (!isUniqueViolation(error)) throw error
        // A concurrent request with the same key won the insert.
        const existing = await repository.findByKey(userId, key)
        if (existing === undefined) throw error
        recorded = { row: existing, created: false }
      }
      const { row, created } = recorded
      if (row.plan_id !== input.planId || row.from_account_id !== input.fromAccountId || row.amount_cents !== input.amountCents) {
        throw new IdempotencyKeyReusedError()
      }
      const current = created ? await attemptIfPending(row.id, requestId) : row
      return { contribution: toContribution(current), created }
    },

    attemptIfPending,

    /** The contribution an Idempotency-Key of this customer made, if any. */
    async findByKey (userId: string, key: string): Promise<Contribution | undefined> {
      const row = await repository.findByKey(userId, key)
      return row === undefined ? undefined : toContribution(row)
    },

    async get (userId: string, id: string): Promise<Contribution> {
      const row = await repository.findById(id)
      if (row === undefined || row.user_id !== userId) throw new ContributionNotFoundError()
      return toContribution(row)
    },

    async listForPlan (planId: string): Promise<Contribution[]> {
      return (await repository.listForPlan(planId)).map(toContribution)
    },

    async listRecent (userId: string, limit = 10): Promise<Contribution[]> {
      return (await repository.listRecentForUser(userId, limit)).map(toContribution)
    },

    /**
     * Claims the contribution due first and makes its attempt; undefined when nothing is due. Safe
     * with several processes polling: each due contribution is claimed by one of them at a time.
     */
    async processNextDue (): Promise<ContributionRow | undefined> {
      const now = clock()
      const claimed = await repository.claimNextDue(now, now + retry.leaseMs)
      return claimed === undefined ? undefined : attempt(claimed, claimed.attempts)
    }
  }
}

export type ContributionService = ReturnType<typeof createContributionService>
