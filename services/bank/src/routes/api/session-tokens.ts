import type { VerifiedUser } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { StartedSession } from '../../domain/sessions/session-service.js'

export { PASSWORD_SIGN_IN } from '../../domain/sessions/session-service.js'
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

/** Whom a logout is for: an expired access token still names the session to end; a forged one names nothing. */
export async function sessionToEnd (app: FastifyInstance, request: FastifyRequest): Promise<VerifiedUser | undefined> {
  return app.verifyUserRequest(request, { allowExpired: true }).catch(() => undefined)
}

/** Logout, for the JSON route and the page alike: ends the session (every party is told) and clears both cookies. */
export async function endSession (app: FastifyInstance, reply: FastifyReply, caller: VerifiedUser | undefined): Promise<void> {
  if (caller?.sessionId !== undefined) await app.sessions.revoke(caller.sessionId, 'logout')
  reply.clearAccessCookie().clearRefreshCookie()
}
