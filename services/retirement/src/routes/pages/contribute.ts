import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { BankAccountSummary } from '../../domain/bank/bank-client.js'
import { formatCents } from '../../domain/money.js'
import { parseDollars } from '@nestegg/platform'
import { html } from '../../pages/html.js'
import { Id, IdempotencyKey } from '../../schemas.js'

interface FormState {
  planId?: string | undefined
  fromAccountId?: string | undefined
  amount?: string | undefined
  /** One key per rendered form: submitting the same form twice makes one contribution. */
  idempotencyKey: string
  error?: string | undefined
}

const ContributeForm = Type.Object({
  // The same ids the JSON API takes: a tampered value is refused here, before the database or the bank.
  planId: Id,
  fromAccountId: Id,
  amount: Type.String({ maxLength: 32 }),
  idempotencyKey: IdempotencyKey,
  _csrf: Type.String({ maxLength: 256 })
}, { additionalProperties: false })

export const contributePage: FastifyPluginAsyncTypebox = async (app) => {
  async function render (request: FastifyRequest, reply: FastifyReply, state: FormState, status = 200): Promise<FastifyReply> {
    const plans = await app.plans.listForUser(request.user.id)
    let accounts: BankAccountSummary[] | null
    try {
      accounts = await app.bank.listAccounts(request.user.id, request.id)
    } catch (error) {
      request.log.warn({ err: error }, 'could not list bank accounts')
      accounts = null
    }
    const form = plans.length === 0
      ? html`<p>Open a plan first: <a href="/plans/new">open a plan</a>.</p>`
      : accounts === null
        ? html`<div class="notice error">Your bank accounts cannot be listed right now. Please try again in a moment.</div>`
        : html`<form class="stacked" method="post" action="/contribute">
<input type="hidden" name="_csrf" value="${reply.generateCsrf()}">
<input type="hidden" name="idempotencyKey" value="${state.idempotencyKey}">
<label for="fromAccountId">From bank account</label>
<select id="fromAccountId" name="fromAccountId" required>${accounts.map((account) => html`
<option value="${account.id}" ${account.id === state.fromAccountId || (state.fromAccountId === undefined && account.type === 'checking') ? html`selected` : ''}>${account.name} (${formatCents(account.balanceCents)} available)</option>`)}
</select>
<label for="planId">Into plan</label>
<select id="planId" name="planId" required>${plans.map((plan) => html`
<option value="${plan.id}" ${plan.id === state.planId ? html`selected` : ''}>${plan.typeLabel} (balance ${formatCents(plan.balanceCents)})</option>`)}
</select>
<label for="amount">Amount (USD)</label>
<input id="amount" name="amount" inputmode="decimal" placeholder="250.00" value="${state.amount ?? ''}" required>
<button type="submit">Contribute</button>
</form>`
    const body = html`<h1>Contribute to a plan</h1>
${state.error !== undefined ? html`<div class="notice error" id="form-error">${state.error}</div>` : ''}
<section>${form}</section>`
    return reply.page('Contribute', body, status)
  }

  app.get('/contribute', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true, querystring: Type.Object({ planId: Type.Optional(Id) }, { additionalProperties: false }) }
  }, async (request, reply) => render(request, reply, { planId: request.query.planId, idempotencyKey: randomUUID() }))

  app.post('/contribute', {
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    config: { page: true },
    schema: { hide: true, body: ContributeForm }
  }, async (request, reply) => {
    const { planId, fromAccountId, amount, idempotencyKey } = request.body
    const state = { planId, fromAccountId, amount, idempotencyKey }
    const amountCents = parseDollars(amount)
    if (amountCents === undefined || amountCents === 0) {
      return render(request, reply, { ...state, error: 'Enter an amount in dollars, like 250 or 250.00.' }, 400)
    }
    try {
      const { contribution } = await app.contributions.request(request.user.id, { planId, fromAccountId, amountCents }, idempotencyKey, request.id)
      return reply.redirect(`/plans/${contribution.planId}?contribution=${contribution.id}`, 303)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500) throw error
      return render(request, reply, { ...state, error: (error as Error).message }, status)
    }
  })
}
