import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { describeUserAgent } from '../../domain/sessions/user-agent.js'
import { ErrorResponse, Password, SessionId } from '../../schemas.js'
import { changePassword } from '../../domain/users/password-change.js'
import { TokenResponse, issueSessionTokens, recordSessionsEnded } from './session-tokens.js'

const SessionView = Type.Object({
  id: Type.String(),
  browser: Type.String({ description: 'A readable summary of the User-Agent, e.g. "Firefox on Linux"' }),
  createdAt: Type.String({ format: 'date-time' }),
  lastUsedAt: Type.String({ format: 'date-time', description: 'Login or last renewal' }),
  current: Type.Boolean()
}, { additionalProperties: false })

const PasswordChange = Type.Object({
  currentPassword: Password,
  newPassword: Password
}, { additionalProperties: false })

/** The signed-in user's sessions; ending one, all, or all by changing the password. */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/sessions', {
    onRequest: [app.authenticate],
    schema: {
      tags: ['sessions'],
      summary: "The caller's active sessions, most recently used first",
      response: { 200: Type.Array(SessionView), 401: ErrorResponse }
    }
  }, async (request) => {
    const sessions = await app.sessions.listActive(request.user.id)
    return sessions.map((session) => ({
      id: session.id,
      browser: describeUserAgent(session.userAgent),
      createdAt: new Date(session.createdAt).toISOString(),
      lastUsedAt: new Date(session.lastUsedAt).toISOString(),
      current: session.id === request.authSession?.sessionId
    }))
  })

  app.delete('/sessions/:id', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['sessions'],
      summary: 'End one of the caller\'s sessions, at the bank and at retirement',
      params: Type.Object({ id: SessionId }, { additionalProperties: false }),
      response: { 204: Type.Null(), 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request, reply) => {
    await app.sessions.revokeOwn(request.user.id, request.params.id)
    await recordSessionsEnded(app, request, request.user.id, 'ended from the sessions list')
    if (request.params.id === request.authSession?.sessionId) reply.clearAccessCookie().clearRefreshCookie()
    return reply.code(204).send(null)
  })
}

/** Under /api/auth, with the per-IP limit of the auth routes: ending every session, changing the password. */
export const sessionAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/logout-all', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Log out of all sessions, this one included',
      response: { 204: Type.Null(), 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const ended = await app.sessions.revokeAllForUser(request.user.id, 'logout_all')
    await recordSessionsEnded(app, request, request.user.id, 'logout everywhere', ended.length)
    reply.clearAccessCookie().clearRefreshCookie()
    return reply.code(204).send(null)
  })

  app.post('/password', {
    onRequest: [app.authenticate],
    // The step-up rule speaks before the current password is even looked at.
    preHandler: [app.csrfGuard, app.requireStepUpFor('passwordChange')],
    schema: {
      tags: ['auth'],
      summary: 'Change the password: every session ends, and this caller gets a new one',
      description: 'Needs a fresh sign-in (STEP_UP_PASSWORD_CHANGE): otherwise 401 STEP_UP_REQUIRED with an RFC 9470 challenge.',
      body: PasswordChange,
      response: { 200: TokenResponse, 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse }
    }
  }, async (request, reply) => {
    const { id, username, name } = request.user
    const session = await changePassword(app, { userId: id, userAgent: request.headers['user-agent'] }, request.body.currentPassword, request.body.newPassword)
    return issueSessionTokens(app, reply, { id, username, name }, session)
  })
}
