import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { StepUpFailedError } from '../../errors.js'
import { PASSWORD_SIGN_IN } from '../../domain/sessions/session-service.js'
import { ErrorResponse, Password } from '../../schemas.js'
import { completeStepUp, recordFailedStepUp } from './step-up-tokens.js'

const StepUpResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer()
}, { additionalProperties: false })

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
  }, async (request, reply) => {
    if (!(await app.users.verifyPassword(request.user.id, request.body.password))) {
      await recordFailedStepUp(app, request, 'password')
      throw new StepUpFailedError()
    }
    const signed = await completeStepUp(app, request, reply, PASSWORD_SIGN_IN, 'password')
    return { accessToken: signed.accessToken, tokenType: 'Bearer' as const, expiresIn: signed.expiresIn }
  })
}
