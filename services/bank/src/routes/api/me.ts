import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { UnknownUserError } from '../../errors.js'
import { ErrorResponse, UserView } from '../../schemas.js'

export const meRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/me', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['auth'],
      summary: 'The signed-in user',
      response: { 200: UserView, 401: ErrorResponse }
    }
  }, async (request) => {
    const user = await app.users.findById(request.user.id)
    if (user === undefined) throw new UnknownUserError()
    return user
  })
}
