import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AuthenticationCredential, CeremonyOptions } from '../../domain/passkeys/passkey-schemas.js'
import { PASSKEY_SIGN_IN, RECOVERY_CODE_SIGN_IN } from '../../domain/passkeys/sign-in-methods.js'
import { deviceOf } from '../../domain/security/security-events.js'
import { recoverySignIn } from '../../domain/passkeys/recovery-sign-in.js'
import { raiseSessionSignIn, recordFailedStepUp } from '../../domain/security/session-step-up.js'
import { UnknownUserError } from '../../errors.js'
import { ErrorResponse } from '../../schemas.js'
import { TokenResponse, issueSessionTokens, startSession } from './session-tokens.js'
import { StepUpResponse, issueStepUpToken, stepUpCallerOf } from './step-up-tokens.js'
import { callerOf } from './passkeys.js'

/**
 * Under /api/auth, with the per-IP limit: sign in with a discoverable passkey (no username); step up
 * this session with a passkey; or sign in with a username and a recovery code when the passkeys and
 * the password are both out of reach.
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
      summary: 'Finish a passkey sign-in: start a session (amr ["hwk","user"], acr nestegg:passkey), answer the tokens and set the cookies',
      body: Type.Object({ credential: AuthenticationCredential }, { additionalProperties: false }),
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const { credential } = request.body
    const { userId } = await app.passkeys.authenticate('signin', credential).catch(async (error: unknown) => {
      // The refusal is the answer even when recording it fails.
      try {
        await app.passkeys.recordRefusedSignIn(credential.id, deviceOf(request.headers['user-agent']))
      } catch (recordError) {
        request.log.error({ err: recordError }, 'a refused passkey sign-in could not be recorded')
      }
      throw error
    })
    const user = await app.users.findById(userId)
    if (user === undefined) throw new UnknownUserError()
    return issueSessionTokens(app, reply, user, await startSession(app, request, user, PASSKEY_SIGN_IN, 'passkey'))
  })

  app.post('/passkey/step-up-options', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Start a passkey step-up of this session: request options listing the caller\'s passkeys',
      response: { 200: CeremonyOptions, 401: ErrorResponse }
    }
  }, async (request) => app.passkeys.authenticationOptions('step-up', callerOf(request)))

  app.post('/passkey/step-up', {
    onRequest: [app.authenticate],
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Finish a passkey step-up: this same session\'s sign-in becomes nestegg:passkey, now, and a new access token says so',
      body: Type.Object({ credential: AuthenticationCredential }, { additionalProperties: false }),
      response: { 200: StepUpResponse, 401: ErrorResponse, 404: ErrorResponse }
    }
  }, async (request, reply) => {
    const caller = stepUpCallerOf(request)
    try {
      await app.passkeys.authenticate('step-up', request.body.credential, callerOf(request))
    } catch (error) {
      await recordFailedStepUp(app, caller, 'passkey')
      throw error
    }
    return issueStepUpToken(app, request, reply, await raiseSessionSignIn(app, caller, PASSKEY_SIGN_IN, 'passkey'))
  })

  app.post('/recovery-login', {
    preHandler: [app.csrfGuard],
    schema: {
      tags: ['auth'],
      summary: 'Sign in with a username and a recovery code (amr ["otp"], acr nestegg:pwd); the code is spent',
      body: Type.Object({
        username: Type.String({ minLength: 1, maxLength: 64 }),
        code: Type.String({ minLength: 1, maxLength: 64 })
      }, { additionalProperties: false }),
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const user = await recoverySignIn(app, request.body.username, request.body.code, request.headers['user-agent'])
    return issueSessionTokens(app, reply, user, await startSession(app, request, user, RECOVERY_CODE_SIGN_IN, 'recovery_code'))
  })
}
