import type { FastifyInstance } from 'fastify'
import { deviceOf, recordSecurityEvent } from '../security/security-events.js'
import { PASSWORD_SIGN_IN, type StartedSession } from '../sessions/session-service.js'

/**
 * A password change, for the API and the page alike. A wrong current password or a weak new one is
 * refused before anything changes. Then every session of the customer ends (a thief's included), the
 * change is recorded, and the browser or client that asked gets a new session, signed in now.
 */
export async function changePassword (
  app: FastifyInstance,
  caller: { userId: string, userAgent: string | undefined },
  currentPassword: string,
  newPassword: string
): Promise<StartedSession> {
  const { userId, userAgent } = caller
  await app.users.changePassword(userId, currentPassword, newPassword)
  await app.sessions.revokeAllForUser(userId, 'password_change')
  await recordSecurityEvent(app.database.db, { userId, type: 'password.changed', method: 'password', device: deviceOf(userAgent) })
  return app.sessions.start(userId, userAgent, PASSWORD_SIGN_IN)
}
