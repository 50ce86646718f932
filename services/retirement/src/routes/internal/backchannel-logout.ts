import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse } from '../../schemas.js'

/**
 * OpenID Connect Back-Channel Logout 1.0 §2.5 in spirit: the bank POSTs a signed logout token as the
 * form field `logout_token`; a valid one puts its session on the deny-list. Any token problem is a 401.
 */
export const backchannelLogoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post('/backchannel-logout', {
    schema: {
      hide: true,
      body: Type.Object({ logout_token: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({}, { additionalProperties: false }), 400: ErrorResponse, 401: ErrorResponse }
    }
  }, async (request) => {
    const notice = await app.verifyLogoutToken(request.body.logout_token)
    await app.denyList.add([{ sessionId: notice.sessionId, userId: notice.userId, revokedAt: notice.issuedAt * 1000 }])
    request.log.info({ sessionId: notice.sessionId }, 'session ended by the bank')
    return {}
  })
}
