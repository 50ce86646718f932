import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AccountId, AccountView, ErrorResponse, HistoryItem, TransferId } from '../../schemas.js'

export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/accounts', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['accounts'],
      summary: "The signed-in user's accounts and balances",
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      response: { 200: Type.Array(AccountView), 401: ErrorResponse }
    }
  }, async (request) => app.accounts.listForUser(request.user.id))

  app.get('/accounts/:id/transactions', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['accounts'],
      summary: "One account's entries, newest first, paged by cursor",
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
      params: Type.Object({ id: AccountId }, { additionalProperties: false }),
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
        before: Type.Optional(Type.String({ ...TransferId, description: 'nextBefore from the previous page' }))
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(HistoryItem),
          nextBefore: Type.Union([TransferId, Type.Null()])
        }, { additionalProperties: false }),
        400: ErrorResponse,
        401: ErrorResponse,
        404: ErrorResponse
      }
    }
  }, async (request) => app.accounts.history(request.user.id, request.params.id, request.query))
}
