import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { PlansTable, RetirementDatabase } from '../../db/schema.js'
import { PlanNotFoundError, UnknownPlanTypeError } from '../../errors.js'
import type { Clock } from '../clock.js'
import { PLAN_TYPES, PLAN_TYPE_NAMES, type PlanType, annualLimitCents as limitFor, isPlanType, taxYearOf, typesSharingLimit } from './plan-types.js'

export interface Plan {
  id: string
  type: PlanType
  typeLabel: string
  balanceCents: number
  createdAt: string
}

export interface PlanLimitStatus {
  taxYear: number
  annualLimitCents: number
  /** Pending and completed contributions this tax year to every plan sharing the limit. */
  contributedCents: number
  remainingCents: number
}

export function toPlan (row: PlansTable): Plan {
  const type = row.type as PlanType
  return {
    id: row.id,
    type,
    typeLabel: PLAN_TYPES[type]?.label ?? row.type,
    balanceCents: row.balance_cents,
    createdAt: new Date(row.created_at).toISOString()
  }
}

/** What counts against a user's annual limit for `type` in `taxYear`: pending and completed, never failed. */
export async function contributedInYear (db: Kysely<RetirementDatabase>, userId: string, type: PlanType, taxYear: number): Promise<number> {
  const row = await db.selectFrom('contributions')
    .innerJoin('plans', 'plans.id', 'contributions.plan_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('contributions.amount_cents'), eb.lit(0)).as('total'))
    .where('contributions.user_id', '=', userId)
    .where('contributions.tax_year', '=', taxYear)
    .where('contributions.status', 'in', ['pending', 'completed'])
    .where('plans.type', 'in', typesSharingLimit(type))
    .executeTakeFirst()
  return Number(row?.total ?? 0)
}

export function createPlanService (db: Kysely<RetirementDatabase>, clock: Clock) {
  async function findRow (userId: string, planId: string): Promise<PlansTable> {
    const row = await db.selectFrom('plans').selectAll().where('id', '=', planId).where('user_id', '=', userId).executeTakeFirst()
    // Someone else's plan is indistinguishable from no plan.
    if (row === undefined) throw new PlanNotFoundError()
    return row
  }

  return {
    async listForUser (userId: string): Promise<Plan[]> {
      const rows = await db.selectFrom('plans').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute()
      return rows.map(toPlan)
    },

    async open (userId: string, type: string): Promise<Plan> {
      if (!isPlanType(type)) throw new UnknownPlanTypeError(type, PLAN_TYPE_NAMES.join(', '))
      const row: PlansTable = { id: randomUUID(), user_id: userId, type, balance_cents: 0, created_at: clock() }
      await db.insertInto('plans').values(row).execute()
      return toPlan(row)
    },

    async getForUser (userId: string, planId: string): Promise<Plan> {
      return toPlan(await findRow(userId, planId))
    },

    /** The tax year a contribution made now counts toward. */
    currentTaxYear (): number {
      return taxYearOf(clock())
    },

    async limitStatus (userId: string, plan: Plan): Promise<PlanLimitStatus> {
      const taxYear = taxYearOf(clock())
      const annualLimitCents = limitFor(plan.type, taxYear)
      const contributedCents = await contributedInYear(db, userId, plan.type, taxYear)
      return { taxYear, annualLimitCents, contributedCents, remainingCents: Math.max(0, annualLimitCents - contributedCents) }
    }
  }
}

export type PlanService = ReturnType<typeof createPlanService>

declare module 'fastify' {
  interface FastifyInstance {
    plans: PlanService
  }
}

export const planServicePlugin = fp(async function planService (app: FastifyInstance, options: { clock: Clock }) {
  app.decorate('plans', createPlanService(app.database.db, options.clock))
}, { name: 'retirement-plans', dependencies: ['retirement-database'] })
