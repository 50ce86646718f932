import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { project } from '../../domain/plans/projection.js'
import { STATUS_TEXT, accountLabels, bankAccounts } from '../../pages/contribution-text.js'
import { projectionChart } from '../../pages/projection-chart.js'
import { ProjectionPageQuery, readProjectionQuery } from '../../pages/projection-form.js'

/** `/`: every plan with its balance, where they are heading, and the latest contributions. */
export const homePage: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true, querystring: ProjectionPageQuery }
  }, async (request, reply) => {
    const plans = await app.plans.listForUser(request.user.id)
    const recent = await app.contributions.listRecent(request.user.id, 10)
    const total = plans.reduce((sum, plan) => sum + plan.balanceCents, 0)
    const projection = readProjectionQuery(request.query)
    const points = project({ startingBalanceCents: total, ...projection })
    return reply.page('home', {
      title: 'Your plans',
      plans,
      total,
      recent,
      projection,
      chart: projectionChart(points, 'All plans'),
      planLabels: Object.fromEntries(plans.map((plan) => [plan.id, plan.typeLabel])),
      accountLabels: recent.length === 0 ? {} : accountLabels(await bankAccounts(app, request)),
      statusText: STATUS_TEXT
    })
  })
}
