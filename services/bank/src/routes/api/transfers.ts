import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { MAX_TRANSFER_CENTS } from '../../domain/ledger/money.js'
import { AccountId, AccountNumber, ErrorResponse, IdempotencyKey, Memo, TransferView } from '../../schemas.js'

const TransferBody = Type.Object({
  fromAccountId: AccountId,
  toAccountId: Type.Optional(AccountId),
  toAccountNumber: Type.Optional(AccountNumber),
  amountCents: Type.Integer({ minimum: 1, maximum: MAX_TRANSFER_CENTS, description: `1 to ${MAX_TRANSFER_CENTS} cents` }),
  memo: Type.Optional(Memo)
}, { additionalProperties: false, description: 'Give exactly one of toAccountId and toAccountNumber' })

export const transferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/transfers', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['transfers'],
      summary: "Move money from one of the user's accounts to any customer account, once per Idempotency-Key",
      description: 'The same Idempotency-Key with the same body answers the same transfer again and books ' +
        'nothing; with a different body, 422; while the first request with it is still being processed, 409. ' +
        'Keys are scoped to the user. Paying another customer above STEP_UP_TRANSFER_ABOVE_CENTS, or an account ' +
        'never paid before, needs a fresh sign-in: otherwise 401 STEP_UP_REQUIRED with an RFC 9470 ' +
        'WWW-Authenticate challenge (POST /api/auth/step-up).',
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      headers: Type.Object({ 'idempotency-key': IdempotencyKey }),
      body: TransferBody,
      response: {
        201: TransferView,
        400: ErrorResponse,
        401: ErrorResponse,
        403: ErrorResponse,
        404: ErrorResponse,
        409: ErrorResponse,
        422: ErrorResponse
      }
    }
  }, async (request, reply) => {
    // A step-up rule speaks before any rule of the ledger (docs/security.md).
    await app.checkTransferStepUp(request, { userId: request.user.id, ...request.body })
    const key = request.headers['idempotency-key']
    const transfer = await app.idempotency.refuseWhileInFlight(request.user.id, key, () => app.transfers.transfer({ ...request.body, userId: request.user.id, idempotencyKey: key }))
    return reply.code(201).send(transfer)
  })
}
