import type { UserView } from '@nestegg/shared-auth'
import type { FastifyInstance } from 'fastify'
import { RecoveryCodeRejectedError } from '../../errors.js'
import { deviceOf, recordSecurityEvent } from '../security/security-events.js'

/**
 * The user a username and an unused recovery code of theirs name; the code is spent and the use
 * recorded in the security activity. For the API and the page.
 *
 * A recovery code signs in at the password's level, so guessing one is guessing a login: it counts
 * against the same per-username backoff as the password (one budget per account, whichever secret
 * is tried), and a wrong one is a `signin.failed` with method `recovery_code`. The code is judged
 * before it is spent, so a right code that the backoff refuses stays usable after the wait.
 */
export async function recoverySignIn (app: FastifyInstance, username: string, code: string, userAgent: string | undefined): Promise<UserView> {
  const device = deviceOf(userAgent)
  const user = await app.users.authenticateWith(username.trim(),
    async (userId) => userId !== undefined && app.recoveryCodes.isUnused(userId, code),
    { method: 'recovery_code', device }, () => new RecoveryCodeRejectedError())
  // Two requests with one code: the one that spends it signs in, the other is refused.
  if (!(await app.recoveryCodes.use(user.id, code))) throw new RecoveryCodeRejectedError()
  const left = await app.recoveryCodes.remaining(user.id)
  await recordSecurityEvent(app.database.db, { userId: user.id, type: 'recovery_code.used', device, detail: `${left} left` })
  return user
}
