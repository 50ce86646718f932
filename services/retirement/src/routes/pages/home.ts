import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { formatCents } from '../../domain/money.js'
import { project } from '../../domain/plans/projection.js'
import { InvalidAmountError } from '../../errors.js'
import { ProjectionPageQuery } from '../../pages/forms.js'
import { parseDollars } from '@nestegg/platform'
import { html } from '../../pages/html.js'
import { projectionChart } from '../../pages/projection-chart.js'
import { contributionRows, projectionForm } from '../../pages/views.js'

export function monthlyCents (monthly: string): number {
  const cents = parseDollars(monthly === '' ? '0' : monthly)
  if (cents === undefined || cents > 10_000_000) throw new InvalidAmountError('The monthly contribution must be an amount in dollars up to $100,000')
  return cents
}

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
    const { years, annualReturnPct, monthly } = request.query
    const points = project({ startingBalanceCents: total, years, annualReturnPct, monthlyContributionCents: monthlyCents(monthly) })
    const labels = new Map(plans.map((plan) => [plan.id, plan.typeLabel]))
    const body = html`<h1>Your retirement plans</h1>
<section>
<h2>Plans</h2>
${plans.length === 0
  ? html`<p>You have no plan yet. <a href="/plans/new">Open your first plan</a>.</p>`
  : html`<table class="plans"><thead><tr><th>Plan</th><th>Opened</th><th class="money">Balance</th></tr></thead><tbody>${plans.map((plan) => html`
<tr data-plan-id="${plan.id}"><td><a href="/plans/${plan.id}">${plan.typeLabel}</a></td><td>${plan.createdAt.slice(0, 10)}</td><td class="money">${formatCents(plan.balanceCents)}</td></tr>`)}
</tbody><tfoot><tr><th colspan="2">Total</th><th class="money" id="total-balance">${formatCents(total)}</th></tr></tfoot></table>
<p><a href="/contribute">Contribute from a bank account</a> · <a href="/plans/new">Open another plan</a></p>`}
</section>
<section>
<h2>Where all your plans could be in ${years} years</h2>
${projectionChart(points, 'All plans')}
${projectionForm('/', { years, annualReturnPct, monthly })}
</section>
<section>
<h2>Recent contributions</h2>
${contributionRows(recent, labels)}
</section>`
    return reply.page('Your plans', body)
  })
}
