import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { INTERNAL_PATHS, SCOPES } from '@nestegg/shared-auth'
import { Type } from 'typebox'
import { RETIREMENT_CLEARING_ACCOUNT } from '../../domain/ledger/bank-accounts.js'
import { CONTRIBUTION_MEMO } from '../../domain/ledger/transfer-service.js'
import { AccountId, AccountView, CentsAmount, ErrorResponse, IdempotencyKey, Memo, Timestamp, TransferId } from '../../schemas.js'

const ContributionDebitView = Type.Object({
  contributionId: Type.String(),
  transferId: TransferId,
  fromAccountId: AccountId,
  toAccountNumber: Type.String(),
  amountCents: CentsAmount,
  createdAt: Timestamp
}, { additionalProperties: false })

/**
 * Server-to-server routes for the retirement service. Only a service token (never a user's access
 * token, never a cookie) for this audience with the right scope gets in; the token's subject is the
 * user retirement acts for, and only that user's own accounts can be touched.
 */
export const internalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(INTERNAL_PATHS.contributions, {
    onRequest: [app.requireServiceToken(SCOPES.contributions)],
    schema: {
      tags: ['internal'],
      summary: "Retirement: debit the token subject's own account into the retirement clearing account",
      description: 'Idempotent on the Idempotency-Key (retirement sends its contribution id): a repeat, ' +
        'even one sent while the first is still being booked, answers the transfer already booked. ' +
        'A normal double-entry transfer of kind "contribution".',
      headers: Type.Object({ 'idempotency-key': IdempotencyKey }),
      body: Type.Object({
        fromAccountId: AccountId,
        amountCents: CentsAmount,
        // Optional, so that a retirement that does not send it still works: the memo of the debit.
        planName: Type.Optional(Type.String({ minLength: 1, maxLength: 64, pattern: (Memo as { pattern?: string }).pattern }))
      }, { additionalProperties: false }),
      response: { 201: ContributionDebitView, 400: ErrorResponse, 401: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse }
    }
  }, async (request, reply) => {
    const caller = request.serviceCaller
    // requireServiceToken always sets it; this keeps the type honest.
    if (caller === null) throw new Error('service caller missing after requireServiceToken')
    const contributionId = request.headers['idempotency-key']
    // No in-flight 409 here: retirement reads a 4xx as the bank's refusal and would fail a debit that
    // is booked. A concurrent repeat waits on the unique key instead and answers the same transfer.
    const transfer = await app.transfers.transfer({
      userId: caller.userId,
      fromAccountId: request.body.fromAccountId,
      toAccountId: RETIREMENT_CLEARING_ACCOUNT.id,
      amountCents: request.body.amountCents,
      idempotencyKey: contributionId,
      // The plan's name in the customer's history; the debit's identity does not include it.
      memo: request.body.planName ?? CONTRIBUTION_MEMO,
      kind: 'contribution'
    })
    request.log.info({ contributionId, transferId: transfer.id, actor: caller.actor }, 'retirement contribution booked')
    return reply.code(201).send({
      contributionId,
      transferId: transfer.id,
      fromAccountId: transfer.fromAccountId,
      toAccountNumber: transfer.toAccountNumber,
      amountCents: transfer.amountCents,
      createdAt: transfer.createdAt
    })
  })

  app.get(INTERNAL_PATHS.accounts, {
    onRequest: [app.requireServiceToken(SCOPES.accountsRead)],
    schema: {
      tags: ['internal'],
      summary: "Retirement: the token subject's accounts, for the contribution form",
      response: { 200: Type.Object({ accounts: Type.Array(AccountView) }, { additionalProperties: false }), 401: ErrorResponse }
    }
  }, async (request) => {
    const caller = request.serviceCaller
    if (caller === null) throw new Error('service caller missing after requireServiceToken')
    return { accounts: await app.accounts.listForUser(caller.userId) }
  })
}
