import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { formatCents } from '../../domain/money.js'
import { PLAN_TYPES, PLAN_TYPE_NAMES, annualLimitCents, limitsYearFor } from '../../domain/plans/plan-types.js'
import { project } from '../../domain/plans/projection.js'
import { ProjectionPageQuery } from '../../pages/forms.js'
import { html } from '../../pages/html.js'
import { projectionChart } from '../../pages/projection-chart.js'
import { contributionRows, contributionStatus, projectionForm } from '../../pages/views.js'
import { Id } from '../../schemas.js'
import { monthlyCents } from './home.js'

export const planPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plans/new', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true }
  }, async (_request, reply) => {
    const taxYear = app.plans.currentTaxYear()
    const body = html`<h1>Open a plan</h1>
<section>
<form class="stacked" method="post" action="/plans/new">
<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">
<fieldset class="choices"><legend>Plan type</legend>${PLAN_TYPE_NAMES.map((name, index) => html`
<label><input type="radio" name="type" value="${name}" ${index === 0 ? html`checked` : ''}> ${PLAN_TYPES[name].label}
<span class="muted">— up to ${formatCents(annualLimitCents(name, taxYear))} in ${taxYear}${PLAN_TYPES[name].limitGroup === 'ira' ? ' across all your IRAs' : ''}</span></label>`)}
</fieldset>
<button type="submit">Open plan</button>
</form>
<p class="muted">Annual limits are the IRS limits for ${limitsYearFor(taxYear)}; catch-up contributions are not included.</p>
</section>`
    return reply.page('Open a plan', body)
  })

  app.post('/plans/new', {
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    config: { page: true },
    schema: {
      hide: true,
      body: Type.Object({ type: Type.String({ maxLength: 32 }), _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const plan = await app.plans.open(request.user.id, request.body.type)
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
    const { years, annualReturnPct, monthly, contribution: justMade } = request.query
    const points = project({ startingBalanceCents: plan.balanceCents, years, annualReturnPct, monthlyContributionCents: monthlyCents(monthly) })
    const flash = contributions.find((candidate) => candidate.id === justMade)
    const body = html`<h1>${plan.typeLabel}</h1>
${flash !== undefined ? html`<div class="notice" id="contribution-result">Your contribution of ${formatCents(flash.amountCents)}: ${contributionStatus(flash)}${
  flash.status === 'pending' ? ' — the bank has not confirmed it yet; it will complete on its own. Reload to see.' : ''}</div>` : ''}
<section>
<p>Balance</p>
<p class="balance" id="plan-balance">${formatCents(plan.balanceCents)}</p>
<p class="muted">${limit.taxYear}: ${formatCents(limit.contributedCents)} of the ${formatCents(limit.annualLimitCents)} annual limit used, ${formatCents(limit.remainingCents)} left.</p>
<p><a href="/contribute?planId=${plan.id}">Contribute to this plan</a></p>
</section>
<section>
<h2>In ${years} years</h2>
${projectionChart(points, plan.typeLabel)}
${projectionForm(`/plans/${plan.id}`, { years, annualReturnPct, monthly })}
</section>
<section>
<h2>Contributions</h2>
${contributionRows(contributions, new Map([[plan.id, plan.typeLabel]]))}
</section>`
    return reply.page(plan.typeLabel, body)
  })
}
