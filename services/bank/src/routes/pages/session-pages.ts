import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { describeUserAgent } from '../../domain/sessions/user-agent.js'
import { SessionId } from '../../schemas.js'
import { recordSessionsEnded } from '../api/session-tokens.js'

const CsrfForm = Type.Object({ _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false })

/** The sessions page: where the user is logged in, and a way to end any of it. */
export const sessionPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/sessions', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true }
  }, async (request, reply) => {
    const sessions = (await app.sessions.listActive(request.user.id)).map((session) => ({
      id: session.id,
      browser: describeUserAgent(session.userAgent),
      createdAt: new Date(session.createdAt).toISOString(),
      lastUsedAt: new Date(session.lastUsedAt).toISOString(),
      current: session.id === request.authSession?.sessionId
    }))
    return reply.page('sessions', { title: 'Sessions', sessions })
  })

  app.post('/sessions/:id/logout', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: { hide: true, params: Type.Object({ id: SessionId }), body: CsrfForm }
  }, async (request, reply) => {
    await app.sessions.revokeOwn(request.user.id, request.params.id)
    await recordSessionsEnded(app, request, request.user.id, 'ended from the sessions list')
    if (request.params.id !== request.authSession?.sessionId) return reply.redirect('/sessions', 303)
    reply.clearAccessCookie().clearRefreshCookie()
    return reply.redirect('/login?logged_out=1', 303)
  })

  app.post('/sessions/logout-all', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: { hide: true, body: CsrfForm }
  }, async (request, reply) => {
    const ended = await app.sessions.revokeAllForUser(request.user.id, 'logout_all')
    await recordSessionsEnded(app, request, request.user.id, 'logout everywhere', ended.length)
    reply.clearAccessCookie().clearRefreshCookie()
    return reply.redirect('/login?logged_out=1', 303)
  })
}
