import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse, PlanView } from '../../schemas.js'

export const planRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/plans', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['plans'],
      summary: "The caller's retirement plans",
      response: { 200: Type.Array(PlanView), 401: ErrorResponse }
    }
  }, async (request) => app.plans.listForUser(request.user.id))
}
