import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { PLAN_TYPES, PLAN_TYPE_NAMES, annualLimitCents, isPlanType, limitsYearFor } from '../../domain/plans/plan-types.js'
import { project } from '../../domain/plans/projection.js'
import { STATUS_TEXT, accountLabels, bankAccounts, failureText } from '../../pages/contribution-text.js'
import { projectionChart } from '../../pages/projection-chart.js'
import { ProjectionPageQuery, readProjectionQuery } from '../../pages/projection-form.js'
import { Id } from '../../schemas.js'

export const planPages: FastifyPluginAsyncTypebox = async (app) => {
  function planTypes (taxYear: number) {
    return PLAN_TYPE_NAMES.map((name) => ({
      name,
      label: PLAN_TYPES[name].label,
      limitCents: annualLimitCents(name, taxYear),
      ira: PLAN_TYPES[name].limitGroup === 'ira'
    }))
  }
  const newPlanPage = (error: string | null) => {
    const taxYear = app.plans.currentTaxYear()
    return { title: 'Open a plan', planTypes: planTypes(taxYear), taxYear, limitsYear: limitsYearFor(taxYear), error }
  }

  app.get('/plans/new', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true }
  }, async (_request, reply) => reply.page('plan-new', newPlanPage(null)))

  app.post('/plans/new', {
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    config: { page: true },
    schema: {
      hide: true,
      body: Type.Object({ type: Type.Optional(Type.String({ maxLength: 32 })), _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const type = request.body.type ?? ''
    if (!isPlanType(type)) {
      reply.code(400)
      return reply.page('plan-new', newPlanPage('Choose one of the plan types.'))
    }
    const plan = await app.plans.open(request.user.id, type)
    return reply.redirect(`/plans/${plan.id}`, 303)
  })

  app.get('/plans/:id', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true, params: Type.Object({ id: Id }, { additionalProperties: false }), querystring: ProjectionPageQuery }
  }, async (request, reply) => {
    const plan = await app.plans.getForUser(request.user.id, request.params.id)
    const limit = await app.plans.limitStatus(request.user.id, plan)
    const contributions = await app.contributions.listForPlan(plan.id)
    const projection = readProjectionQuery(request.query)
    const points = project({ startingBalanceCents: plan.balanceCents, ...projection })
    const flash = contributions.find((candidate) => candidate.id === request.query.contribution)
    return reply.page('plan', {
      title: plan.typeLabel,
      plan,
      limit,
      contributions,
      projection,
      chart: projectionChart(points, plan.typeLabel),
      flash: flash ?? null,
      failure: flash?.status === 'failed' ? failureText(flash) : null,
      planLabels: { [plan.id]: plan.typeLabel },
      accountLabels: contributions.length === 0 ? {} : accountLabels(await bankAccounts(app, request)),
      statusText: STATUS_TEXT
    })
  })
}
