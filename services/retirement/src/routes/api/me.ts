import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ErrorResponse, UserView } from '../../schemas.js'

/** Who the bank's token says the caller is; retirement never asks the bank. */
export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user, from the bank-issued token',
      response: { 200: UserView, 401: ErrorResponse }
    }
  }, async (request) => ({
    id: request.user.id,
    username: request.user.username,
    name: request.user.name
  }))
}
