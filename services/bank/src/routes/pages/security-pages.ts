import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { type SecurityEventType, listSecurityEvents } from '../../domain/security/security-events.js'
import { changePassword } from '../../domain/users/password-change.js'
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
    let session
    try {
      // As the JSON API does: every session ends, and this browser gets a new one.
      session = await changePassword(app, { userId: id, userAgent: request.headers['user-agent'] }, request.body.currentPassword, request.body.newPassword)
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode ?? 500
      if (status >= 500 || status === 429) throw error
      reply.code(status)
      return reply.page('password', { title: 'Change your password', error: (error as Error).message })
    }
    await issueSessionTokens(app, reply, { id, username, name }, session)
    return reply.redirect('/security/activity?password_changed=1', 303)
  })
}
