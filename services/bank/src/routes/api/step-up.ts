import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { passwordStepUp } from '../../domain/security/session-step-up.js'
import { ErrorResponse, Password } from '../../schemas.js'
import { StepUpResponse, issueStepUpToken, stepUpCallerOf } from './step-up-tokens.js'

/**
 * POST /api/auth/step-up: an API client answered with `insufficient_user_authentication` re-enters
 * the password; the same session's sign-in becomes fresh (nestegg:pwd) and a new access token says so.
 */
export const stepUpRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/step-up', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Re-enter the password: this session\'s sign-in becomes fresh, and a new access token says so (RFC 9470 step-up)',
      body: Type.Object({ password: Password }, { additionalProperties: false }),
      response: { 200: StepUpResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 429: ErrorResponse }
    }
  }, async (request, reply) => issueStepUpToken(app, request, reply, await passwordStepUp(app, stepUpCallerOf(request), request.body.password)))
}
