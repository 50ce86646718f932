import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { IdempotencyKeyMissingError } from '../../errors.js'
import { ContributionView, ErrorResponse, Id, IdempotencyKey, PositiveCents } from '../../schemas.js'

export const ContributionBody = Type.Object({
  planId: Id,
  fromAccountId: Id,
  amountCents: PositiveCents
}, { additionalProperties: false })

export const contributionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/contributions', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard, app.requireCurrentRevocations],
    schema: {
      tags: ['contributions'],
      summary: 'Move money from one of your bank accounts into a plan, exactly once',
      description: 'Answers 201 when the bank has already debited or refused (see status), 202 while it is ' +
        'still pending (the worker retries), and 200 with the original contribution when the ' +
        'Idempotency-Key was used before (with a different body, 422); 409 while the first request with it is ' +
        'still being processed. Keys are scoped to the user. Above ' +
        'STEP_UP_CONTRIBUTION_ABOVE_CENTS it needs a fresh sign-in at the bank: otherwise 401 STEP_UP_REQUIRED ' +
        'with an RFC 9470 WWW-Authenticate challenge.',
      headers: Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) }),
      body: ContributionBody,
      response: {
        200: ContributionView,
        201: ContributionView,
        202: ContributionView,
        400: ErrorResponse,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse,
        503: ErrorResponse
      }
    }
  }, async (request, reply) => {
    // The step-up rule speaks before any other (docs/security.md).
    app.contributionStepUp.check(request, request.body.amountCents)
    const key = request.headers['idempotency-key']
    if (typeof key !== 'string') throw new IdempotencyKeyMissingError()
    const { contribution, created } = await app.idempotency.refuseWhileInFlight(request.user.id, key, () => app.contributions.request(request.user.id, request.body, key, request.id))
    const status = !created ? 200 : contribution.status === 'pending' ? 202 : 201
    return reply.code(status).header('location', `/api/contributions/${contribution.id}`).send(contribution)
  })

  app.get('/contributions/:id', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['contributions'],
      summary: 'A contribution and its status: pending, completed, or failed with a reason',
      params: Type.Object({ id: Id }, { additionalProperties: false }),
      response: { 200: ContributionView, 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request) => app.contributions.get(request.user.id, request.params.id))
}
