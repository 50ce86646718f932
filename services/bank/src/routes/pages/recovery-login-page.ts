import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { safeReturnTo } from '../../pages/return-to.js'
import { RECOVERY_CODE_SIGN_IN } from '../../domain/passkeys/sign-in-methods.js'
import { recoverySignIn } from '../../domain/passkeys/recovery-sign-in.js'
import { issueSessionTokens, startSession } from '../api/session-tokens.js'

const FormText = (maxLength: number) => Type.String({ maxLength })

/** Log in with a username and a recovery code: a plain form, for when passkeys and password are lost. */
export const recoveryLoginPage: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const returnTo = (value: unknown) => safeReturnTo(value, config.BANK_URL, [config.RETIREMENT_URL])
  const title = 'Log in with a recovery code'

  app.get('/login/recovery', {
    config: { page: true },
    schema: { hide: true, querystring: Type.Object({ return_to: Type.Optional(FormText(2048)) }) }
  }, async (request, reply) => reply.page('recovery-login', { title, returnTo: returnTo(request.query.return_to), username: '', error: null }))

  app.post('/login/recovery', {
    config: { page: true },
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({ username: FormText(64), code: FormText(64), return_to: Type.Optional(FormText(2048)), _csrf: FormText(256) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const target = returnTo(request.body.return_to)
    try {
      const user = await recoverySignIn(app, request.body.username, request.body.code, request.headers['user-agent'])
      await issueSessionTokens(app, reply, user, await startSession(app, request, user, RECOVERY_CODE_SIGN_IN, 'recovery_code'))
      // The customer is in on a one-time code: the security page is where they set things right.
      return reply.redirect('/security', 303)
    } catch (error) {
      if ((error as { code?: string }).code !== 'BANK_RECOVERY_CODE_REJECTED') throw error
      reply.code(401)
      return reply.page('recovery-login', { title, returnTo: target, username: request.body.username, error: 'Invalid username or recovery code.' })
    }
  })
}
