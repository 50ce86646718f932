import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { passkeyJson } from '../../domain/passkeys/passkey-schemas.js'
import { removePasskey } from '../api/passkeys.js'
import { PASSKEY_SCRIPTS } from './passkey-assets.js'

const Flag = Type.Optional(Type.String({ maxLength: 8 }))
const notices = {
  added: { kind: 'success', id: 'passkey-added', text: 'Your passkey is ready: next time, log in with it.' },
  removed: { kind: 'success', id: 'passkey-removed', text: 'The passkey was removed. It no longer signs in to Nestegg.' }
}

/**
 * The customer's security page: passkeys (registered with a script, removed with a plain form) and
 * recovery codes (made with a plain form, shown once).
 */
export const securityPage: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/security', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    schema: { hide: true, querystring: Type.Object({ added: Flag, removed: Flag }) }
  }, async (request, reply) => {
    const passkeys = (await app.passkeys.list(request.user.id)).map(passkeyJson)
    const notice = request.query.added !== undefined ? notices.added : request.query.removed !== undefined ? notices.removed : null
    return reply.page('security', {
      title: 'Security',
      passkeys,
      recoveryCodesLeft: await app.recoveryCodes.remaining(request.user.id),
      notice,
      scripts: PASSKEY_SCRIPTS
    })
  })

  app.post('/security/recovery-codes', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: { hide: true, body: Type.Object({ _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false }) }
  }, async (request, reply) => {
    // A credential change, as in the API: back to this page once confirmed, to press the button again.
    if (await app.pageStepUp(request, reply, 'passwordChange', '/security')) return reply
    const codes = await app.recoveryCodes.generate(request.user.id)
    // Shown this once: no cache may keep the page.
    reply.header('cache-control', 'no-store')
    return reply.page('recovery-codes', { title: 'Recovery codes', codes })
  })

  app.post('/security/passkeys/:id/remove', {
    config: { page: true },
    onRequest: [app.authenticatePage],
    preHandler: [app.csrfGuard],
    schema: {
      hide: true,
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 1400, pattern: '^[A-Za-z0-9_-]+$' }) }),
      body: Type.Object({ _csrf: Type.String({ maxLength: 256 }) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    // Back to this page once confirmed: the customer presses Remove again, now with a fresh sign-in.
    if (await app.pageStepUp(request, reply, 'passkeyRemoval', '/security')) return reply
    await removePasskey(app, request, request.params.id)
    return reply.redirect('/security?removed=1', 303)
  })
}
