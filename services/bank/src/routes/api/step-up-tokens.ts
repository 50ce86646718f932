import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { type Static, Type } from 'typebox'
import type { RaisedSignIn, StepUpCaller } from '../../domain/security/session-step-up.js'

/** What a step-up answers an API client: the new access token (the refresh token stays as it was). */
export const StepUpResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer()
}, { additionalProperties: false })

/** The caller of a step-up route, as the domain's step-up takes it. */
export function stepUpCallerOf (request: FastifyRequest): StepUpCaller {
  return { userId: request.user.id, sessionId: request.authSession?.sessionId, userAgent: request.headers['user-agent'] }
}

/**
 * Signs the access token for a raised sign-in and sets its cookie (the page's browser goes on with
 * it); the body serves API clients.
 */
export async function issueStepUpToken (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, raised: RaisedSignIn): Promise<Static<typeof StepUpResponse>> {
  const { accessToken, expiresIn } = await app.signAccessToken({
    id: request.user.id,
    username: request.user.username,
    name: request.user.name,
    sessionId: raised.sessionId,
    sessionSecondsLeft: raised.sessionSecondsLeft,
    authentication: raised.authentication
  })
  reply.setAccessCookie(accessToken, expiresIn)
  return { accessToken, tokenType: 'Bearer', expiresIn }
}
