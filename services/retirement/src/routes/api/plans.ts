import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { project } from '../../domain/plans/projection.js'
import { ContributionView, ErrorResponse, Id, PlanDetailView, PlanTypeName, PlanView } from '../../schemas.js'

const PlanParams = Type.Object({ id: Id }, { additionalProperties: false })

export const ProjectionQuery = Type.Object({
  years: Type.Integer({ minimum: 1, maximum: 60, default: 30, description: 'Whole years ahead, 1 to 60' }),
  annualReturnPct: Type.Number({ minimum: -20, maximum: 30, default: 5, description: 'Nominal yearly return in percent, compounded monthly' }),
  monthlyContributionCents: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0, description: 'Added at the end of each month' })
}, { additionalProperties: false })

const ProjectionView = Type.Object({
  planId: Type.String(),
  startingBalanceCents: Type.Integer(),
  years: Type.Integer(),
  annualReturnPct: Type.Number(),
  monthlyContributionCents: Type.Integer(),
  points: Type.Array(Type.Object({
    year: Type.Integer(),
    balanceCents: Type.Integer(),
    contributedCents: Type.Integer(),
    growthCents: Type.Integer()
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plans', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['plans'],
      summary: "The caller's retirement plans",
      response: { 200: Type.Array(PlanView), 401: ErrorResponse }
    }
  }, async (request) => app.plans.listForUser(request.user.id))

  app.post('/plans', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['plans'],
      summary: 'Open a plan of one of the documented types',
      body: Type.Object({ type: PlanTypeName }, { additionalProperties: false }),
      response: { 201: PlanView, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }
    }
  }, async (request, reply) => {
    const plan = await app.plans.open(request.user.id, request.body.type)
    return reply.code(201).header('location', `/api/plans/${plan.id}`).send(plan)
  })

  app.get('/plans/:id', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['plans'],
      summary: 'One plan, with its annual limit and what is used of it this year',
      params: PlanParams,
      response: { 200: PlanDetailView, 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request) => {
    const plan = await app.plans.getForUser(request.user.id, request.params.id)
    const limit = await app.plans.limitStatus(request.user.id, plan)
    return {
      ...plan,
      taxYear: limit.taxYear,
      annualLimitCents: limit.annualLimitCents,
      contributedThisYearCents: limit.contributedCents,
      remainingThisYearCents: limit.remainingCents
    }
  })

  app.get('/plans/:id/contributions', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['plans'],
      summary: "The plan's contributions, newest first",
      params: PlanParams,
      response: { 200: Type.Array(ContributionView), 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request) => {
    const plan = await app.plans.getForUser(request.user.id, request.params.id)
    return app.contributions.listForPlan(plan.id)
  })

  app.get('/plans/:id/projection', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['plans'],
      summary: 'Projected balance, year by year, from the current balance by compound growth',
      params: PlanParams,
      querystring: ProjectionQuery,
      response: { 200: ProjectionView, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request) => {
    const plan = await app.plans.getForUser(request.user.id, request.params.id)
    const { years, annualReturnPct, monthlyContributionCents } = request.query
    return {
      planId: plan.id,
      startingBalanceCents: plan.balanceCents,
      years,
      annualReturnPct,
      monthlyContributionCents,
      points: project({ startingBalanceCents: plan.balanceCents, years, annualReturnPct, monthlyContributionCents })
    }
  })
}
