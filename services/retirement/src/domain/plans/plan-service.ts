import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { RetirementDatabase } from '../../db/schema.js'

export interface Plan {
  id: string
  type: string
  balanceCents: number
  createdAt: string
}

export function createPlanService (db: Kysely<RetirementDatabase>) {
  return {
    async listForUser (userId: string): Promise<Plan[]> {
      const rows = await db.selectFrom('plans').selectAll().where('user_id', '=', userId).orderBy('created_at').execute()
      return rows.map((row) => ({
        id: row.id,
        type: row.type,
        balanceCents: row.balance_cents,
        createdAt: new Date(row.created_at).toISOString()
      }))
    }
  }
}

export type PlanService = ReturnType<typeof createPlanService>

declare module 'fastify' {
  interface FastifyInstance {
    plans: PlanService
  }
}

export const planServicePlugin = fp(async function planService (app: FastifyInstance) {
  app.decorate('plans', createPlanService(app.database.db))
}, { name: 'retirement-plans', dependencies: ['retirement-database'] })
