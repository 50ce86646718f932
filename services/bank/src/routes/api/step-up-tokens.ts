import type { SignedAccessToken } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { SessionNotFoundError } from '../../errors.js'
import { deviceOf, recordSecurityEvent } from '../../domain/security/security-events.js'
import type { SignInMethod } from '../../domain/sessions/session-service.js'

/**
 * A step-up that succeeded (a password re-entered here; a passkey, from the passkey routes): the
 * SAME session's sign-in becomes this one, now, and a new access token says so. The refresh token
 * and the session's other tokens are untouched. `eventMethod` names it in the security activity.
 */
export async function completeStepUp (
  app: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
  method: SignInMethod,
  eventMethod: string
): Promise<SignedAccessToken> {
  const sessionId = request.authSession?.sessionId
  if (sessionId === undefined) throw new SessionNotFoundError()
  const raised = await app.sessions.recordAuthentication(sessionId, method)
  // The token named this session; a session of someone else can never be raised through it.
  if (raised.userId !== request.user.id) throw new SessionNotFoundError()
  const signed = await app.signAccessToken({
    id: request.user.id,
    username: request.user.username,
    name: request.user.name,
    sessionId,
    sessionSecondsLeft: raised.sessionSecondsLeft,
    authentication: raised.authentication
  })
  reply.setAccessCookie(signed.accessToken, signed.expiresIn)
  await recordSecurityEvent(app.database.db, { userId: request.user.id, type: 'step_up', method: eventMethod, device: deviceOf(request.headers['user-agent']) })
  return signed
}

/** A failed step-up attempt, for the security activity. */
export async function recordFailedStepUp (app: FastifyInstance, request: FastifyRequest, eventMethod: string): Promise<void> {
  await recordSecurityEvent(app.database.db, { userId: request.user.id, type: 'step_up.failed', method: eventMethod, device: deviceOf(request.headers['user-agent']) })
}
