import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { type SecurityEventType, deviceOf, listSecurityEvents, recordSecurityEvent } from '../../domain/security/security-events.js'
import { PASSWORD_SIGN_IN } from '../../domain/sessions/session-service.js'
import { issueSessionTokens } from '../api/session-tokens.js'

const LABELS: Record<SecurityEventType, string> = {
  signin: 'Signed in',
  'signin.failed': 'Failed sign-in attempt',
  step_up: 'Confirmed it was you',
  'step_up.failed': 'Failed attempt to confirm it was you',
  'password.changed': 'Password changed',
  'session.ended': 'Session ended',
  'sessions.ended_all': 'Logged out everywhere',
  'passkey.added': 'Passkey added',
  'passkey.removed': 'Passkey removed',
  'recovery_code.used': 'Recovery code used'
}

/** The customer's security activity, and the password change (which needs a step-up). */
export const securityPages: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/security/activity', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: Type.Object({ password_changed: Type.Optional(Type.String({ maxLength: 8 })) }) }
  }, async (request, reply) => {
    const events = (await listSecurityEvents(app.database.db, request.user.id)).map((event) => ({
      what: LABELS[event.type] ?? event.type,
      type: event.type,
      method: event.method,
      device: event.device,
      detail: event.detail,
      at: new Date(event.occurredAt).toISOString()
    }))
    return reply.page('security-activity', { title: 'Security activity', events, passwordChanged: request.query.password_changed !== undefined })
  })

  /** Passwords never travel in a URL: coming back from the step-up page shows an empty form. */
  const stepUpFirst = (request: FastifyRequest, reply: FastifyReply) => app.pageStepUp(request, reply, 'passwordChange', '/security/password')

  app.get('/security/password', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true }
  }, async (request, reply) => (await stepUpFirst(request, reply)) ? reply : reply.page('password', { title: 'Change your password', error: null }))

  app.post('/security/password', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({
        currentPassword: Type.String({ maxLength: 1024 }),
        newPassword: Type.String({ maxLength: 1024 }),
        _csrf: Type.String({ maxLength: 256 })
      }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    if (await stepUpFirst(request, reply)) return reply
    const { id, username, name } = request.user
    try {
      await app.users.changePassword(id, request.body.currentPassword, request.body.newPassword)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500 || status === 429) throw error
      reply.code(status)
      return reply.page('password', { title: 'Change your password', error: (error as Error).message })
    }
    // As the JSON API does: every session ends, and this browser gets a new one.
    await app.sessions.revokeAllForUser(id, 'password_change')
    await recordSecurityEvent(app.database.db, { userId: id, type: 'password.changed', method: 'password', device: deviceOf(request.headers['user-agent']) })
    await issueSessionTokens(app, reply, { id, username, name }, await app.sessions.start(id, request.headers['user-agent'], PASSWORD_SIGN_IN))
    return reply.redirect('/security/activity?password_changed=1', 303)
  })
}
