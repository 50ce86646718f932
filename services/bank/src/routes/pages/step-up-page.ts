import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ACR_PASSKEY, ACR_PASSWORD, isAcrLevel } from '@nestegg/shared-auth'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Config } from '../../config.js'
import { passwordStepUp } from '../../domain/security/session-step-up.js'
import { StepUpFailedError } from '../../errors.js'
import { safeReturnTo } from '../../pages/return-to.js'
import { issueStepUpToken, stepUpCallerOf } from '../api/step-up-tokens.js'
import { PASSKEY_SCRIPTS } from './passkey-assets.js'

const FormText = (maxLength: number) => Type.String({ maxLength })
const StepUpQuery = Type.Object({
  return_to: Type.Optional(FormText(2048)),
  acr: Type.Optional(FormText(64)),
  max_age: Type.Optional(FormText(16))
})

/**
 * GET /step-up: the bank's step-up page, where a service's "sign in again" sends the browser. The
 * customer re-enters the password (meets nestegg:pwd); when nestegg:passkey is asked the password
 * form is hidden and only a passkey can do. Success raises this same session's sign-in and goes back
 * to `return_to`, validated as the login page validates it.
 */
export const stepUpPage: FastifyPluginAsyncTypebox<{ config: Config }> = async (app, { config }) => {
  const returnTo = (value: unknown) => safeReturnTo(value, config.BANK_URL, [config.RETIREMENT_URL])
  const levelOf = (value: string | undefined) => value !== undefined && isAcrLevel(value) ? value : ACR_PASSWORD

  async function render (reply: FastifyReply, view: { returnTo: string, acr: string, maxAge: string, error: string | null }) {
    const user = reply.request.user
    return reply.page('step-up', {
      title: 'Confirm it is you',
      ...view,
      passwordAllowed: view.acr !== ACR_PASSKEY,
      // The passkey button (passkeys.js) shows when the customer has a passkey to use.
      hasPasskey: user !== undefined && (await app.passkeys.list(user.id)).length > 0,
      scripts: PASSKEY_SCRIPTS
    })
  }

  app.get('/step-up', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: StepUpQuery }
  }, async (request, reply) => render(reply, {
    returnTo: returnTo(request.query.return_to),
    acr: levelOf(request.query.acr),
    maxAge: /^\d{1,6}$/.test(request.query.max_age ?? '') ? request.query.max_age as string : '',
    error: null
  }))

  app.post('/step-up', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      body: Type.Object({
        password: FormText(1024),
        return_to: Type.Optional(FormText(2048)),
        acr: Type.Optional(FormText(64)),
        max_age: Type.Optional(FormText(16)),
        _csrf: FormText(256)
      }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const view = { returnTo: returnTo(request.body.return_to), acr: levelOf(request.body.acr), maxAge: /^\d{1,6}$/.test(request.body.max_age ?? '') ? request.body.max_age as string : '' }
    if (view.acr === ACR_PASSKEY) {
      reply.code(400)
      return render(reply, { ...view, error: 'This needs a passkey: a password is not enough here.' })
    }
    try {
      await issueStepUpToken(app, request, reply, await passwordStepUp(app, stepUpCallerOf(request), request.body.password))
    } catch (error) {
      if (!(error instanceof StepUpFailedError)) throw error
      reply.code(403)
      return render(reply, { ...view, error: 'That password is not correct.' })
    }
    return reply.redirect(view.returnTo, 303)
  })
}
