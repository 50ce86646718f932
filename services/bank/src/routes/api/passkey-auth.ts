import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { AuthenticationCredential, CeremonyOptions } from '../../domain/passkeys/passkey-schemas.js'
import { PASSKEY_SIGN_IN, RECOVERY_CODE_SIGN_IN } from '../../domain/passkeys/sign-in-methods.js'
import { RecoveryCodeRejectedError, UnknownUserError } from '../../errors.js'
import { ErrorResponse, type UserView } from '../../schemas.js'
import { TokenResponse, issueSessionTokens } from './session-tokens.js'

/**
 * Under /api/auth, with the per-IP limit: sign in with a discoverable passkey (no username), or with
 * a username and a recovery code when the passkeys and the password are both out of reach.
 */
export const passkeyAuthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/passkey/options', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Start a passkey sign-in: request options for navigator.credentials.get() (any passkey of this bank, user verification required)',
      response: { 200: CeremonyOptions }
    }
  }, async () => app.passkeys.authenticationOptions('signin'))

  app.post('/passkey/login', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Finish a passkey sign-in: start a session, answer the tokens and set the cookies',
      body: Type.Object({ credential: AuthenticationCredential }, { additionalProperties: false }),
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const { userId } = await app.passkeys.authenticate('signin', request.body.credential)
    const user = await app.users.findById(userId)
    if (user === undefined) throw new UnknownUserError()
    return issueSessionTokens(app, reply, user, await app.sessions.start(user.id, request.headers['user-agent'], PASSKEY_SIGN_IN))
  })

  app.post('/recovery-login', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Sign in with a username and a recovery code; the code is spent',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }),
        code: Type.String({ minLength: 1, maxLength: 64 })
      }, { additionalProperties: false }),
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const user = await recoverySignIn(app, request.body.username, request.body.code)
    return issueSessionTokens(app, reply, user, await app.sessions.start(user.id, request.headers['user-agent'], RECOVERY_CODE_SIGN_IN))
  })
}

/** The user a username and an unused recovery code of theirs name; the code is spent. For the API and the page. */
export async function recoverySignIn (app: FastifyInstance, username: string, code: string): Promise<UserView> {
  const name = username.trim().toLowerCase()
  const user = /^[a-z0-9_]{3,32}$/.test(name) ? await app.users.findByUsername(name) : undefined
  if (user === undefined || !(await app.recoveryCodes.use(user.id, code))) throw new RecoveryCodeRejectedError()
  return user
}
