import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { redirectedToStepUp } from '@nestegg/shared-auth'
import { formatMoney, parseDollars } from '@nestegg/web-kit'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { accountLabel, bankAccounts } from '../../pages/contribution-text.js'
import { Id, IdempotencyKey } from '../../schemas.js'

interface FormState {
  planId?: string | undefined
  fromAccountId?: string | undefined
  amount?: string | undefined
  /** One key per rendered form: submitting the same form twice makes one contribution. */
  idempotencyKey: string
}

const ContributeForm = Type.Object({
  // The same ids the JSON API takes: a tampered value is refused here, before the database or the bank.
  planId: Id,
  fromAccountId: Id,
  amount: Type.String({ maxLength: 32 }),
  idempotencyKey: IdempotencyKey,
  _csrf: Type.String({ maxLength: 256 })
}, { additionalProperties: false })

/** Back from the bank's step-up page: the form as typed, in the query. */
const Draft = Type.Object({
  planId: Type.Optional(Id),
  fromAccountId: Type.Optional(Id),
  amount: Type.Optional(Type.String({ maxLength: 32 })),
  idempotencyKey: Type.Optional(IdempotencyKey)
}, { additionalProperties: false })

export const contributePage: FastifyPluginAsyncTypebox<{ bankUrl: string, retirementUrl: string }> = async (app, options) => {
  async function render (request: FastifyRequest, reply: FastifyReply, state: FormState, error: string | null = null, status = 200): Promise<FastifyReply> {
    const plans = await app.plans.listForUser(request.user.id)
    const accounts = await bankAccounts(app, request)
    reply.code(status)
    return reply.page('contribute', { title: 'Contribute', plans, accounts, state, error, accountLabel })
  }

  app.get('/contribute', {
    onRequest: [app.authenticatePage],
    config: { page: true },
    schema: { hide: true, querystring: Draft }
  }, async (request, reply) => render(request, reply, { ...request.query, idempotencyKey: request.query.idempotencyKey ?? randomUUID() }))

  app.post('/contribute', {
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard, app.requireCurrentRevocations],
    config: { page: true },
    schema: { hide: true, body: ContributeForm }
  }, async (request, reply) => {
    const { planId, fromAccountId, amount, idempotencyKey } = request.body
    const state = { planId, fromAccountId, amount, idempotencyKey }
    const amountCents = parseDollars(amount)
    if (amountCents === undefined || amountCents === 0) {
      return render(request, reply, state, 'Enter an amount in dollars, like 250 or 250.00.', 400)
    }
    // To the bank to sign in again, and back to this form as typed: the fields ride in return_to's
    // query (nothing secret, no server-side state), with the same idempotency key, so sending the
    // form again still makes one contribution.
    const steppedUp = await redirectedToStepUp(reply, () => app.contributionStepUp.check(request, amountCents), {
      bankUrl: options.bankUrl,
      siteUrl: options.retirementUrl,
      path: '/contribute',
      draft: { planId, fromAccountId, amount, idempotencyKey }
    })
    if (steppedUp) return reply
    try {
      // A second click waits for the first, then lands on the same contribution (platform
      // idempotency.ts); so does a form sent again after it went through, whatever the balance now.
      const outcome = await app.idempotency.waitWhileInFlight(request.user.id, idempotencyKey, async () => {
        if (await app.contributions.findByKey(request.user.id, idempotencyKey) === undefined) {
          // The form showed what each account has: more than that is refused here, in words, instead
          // of becoming a contribution the bank fails. (The bank still decides: its balance may move.)
          const account = (await bankAccounts(app, request))?.find((candidate) => candidate.id === fromAccountId)
          if (account !== undefined && amountCents > account.balanceCents) return { short: account }
        }
        return app.contributions.request(request.user.id, { planId, fromAccountId, amountCents }, idempotencyKey, request.id)
      })
      if ('short' in outcome) {
        const { short } = outcome
        return render(request, reply, state,
          `${accountLabel(short)} has ${formatMoney(short.balanceCents)} available. Enter ${formatMoney(short.balanceCents)} or less, or choose another account.`, 409)
      }
      const { contribution } = outcome
      return reply.redirect(`/plans/${contribution.planId}?contribution=${contribution.id}`, 303)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500) throw error
      // As at the bank's form: this form was sent before with other values; a new form gets a new key.
      if ((error as { code?: string }).code === 'RET_IDEMPOTENCY_KEY_REUSED') {
        return render(request, reply, { ...state, idempotencyKey: randomUUID() },
          'This form was already sent with other values. Check your plan before sending it again.', status)
      }
      return render(request, reply, state, (error as Error).message, status)
    }
  })
}
