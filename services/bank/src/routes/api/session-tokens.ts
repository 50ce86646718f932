import type { VerifiedUser } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { deviceOf, recordSecurityEvent } from '../../domain/security/security-events.js'
import { PASSWORD_SIGN_IN, type SignInMethod, type StartedSession } from '../../domain/sessions/session-service.js'
import type { UserView } from '../../schemas.js'

export const TokenResponse = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'Opaque, single use: POST it to /api/auth/refresh for the next pair' })
}, { additionalProperties: false })

/** Signs the access token for a session and sets both cookies; the JSON body serves API clients. */
export async function issueSessionTokens (app: FastifyInstance, reply: FastifyReply, user: UserView, session: StartedSession) {
  const { accessToken, expiresIn } = await app.signAccessToken({
    id: user.id,
    username: user.username,
    name: user.name,
    sessionId: session.sessionId,
    sessionSecondsLeft: session.refreshMaxAge,
    authentication: session.authentication
  })
  reply.setAccessCookie(accessToken, expiresIn)
  reply.setRefreshCookie(session.refreshToken, session.refreshMaxAge)
  return { accessToken, tokenType: 'Bearer' as const, expiresIn, refreshToken: session.refreshToken }
}

/**
 * A sign-in: starts the session with how the customer signed in (a password unless told otherwise)
 * and records it in the security activity, with the device it came from.
 */
export async function startSession (
  app: FastifyInstance,
  request: FastifyRequest,
  user: UserView,
  method: SignInMethod = PASSWORD_SIGN_IN,
  eventMethod = 'password'
): Promise<StartedSession> {
  const session = await app.sessions.start(user.id, request.headers['user-agent'], method)
  await recordSecurityEvent(app.database.db, { userId: user.id, type: 'signin', method: eventMethod, device: deviceOf(request.headers['user-agent']) })
  return session
}

/** Records that sessions ended at the customer's request, for the security activity. */
export async function recordSessionsEnded (app: FastifyInstance, request: FastifyRequest, userId: string, how: 'logout' | 'ended from the sessions list' | 'logout everywhere', count = 1): Promise<void> {
  if (count === 0) return
  await recordSecurityEvent(app.database.db, {
    userId,
    type: how === 'logout everywhere' ? 'sessions.ended_all' : 'session.ended',
    device: deviceOf(request.headers['user-agent']),
    detail: how === 'logout everywhere' ? `${how} (${count} session${count === 1 ? '' : 's'})` : how
  })
}

/** Whom a logout is for: an expired access token still names the session to end; a forged one names nothing. */
export async function sessionToEnd (app: FastifyInstance, request: FastifyRequest): Promise<VerifiedUser | undefined> {
  return app.verifyUserRequest(request, { allowExpired: true }).catch(() => undefined)
}

/** Logout, for the JSON route and the page alike: ends the session (every party is told) and clears both cookies. */
export async function endSession (app: FastifyInstance, reply: FastifyReply, caller: VerifiedUser | undefined): Promise<void> {
  if (caller?.sessionId !== undefined) {
    const ended = await app.sessions.revoke(caller.sessionId, 'logout')
    await recordSessionsEnded(app, reply.request, caller.user.id, 'logout', ended.length)
  }
  reply.clearAccessCookie().clearRefreshCookie()
}
