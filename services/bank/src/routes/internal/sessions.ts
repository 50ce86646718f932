import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ErrorResponse } from '../../schemas.js'

export const REVOKED_SESSIONS_SCOPE = 'sessions:read'

/**
 * Retirement's catch-up after a restart: the sessions revoked since a moment, so that a logout it
 * missed while down is on its deny-list before it serves a request. Service tokens only.
 */
export const internalSessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/revoked-sessions', {
    onRequest: [app.requireServiceToken(REVOKED_SESSIONS_SCOPE)],
    schema: {
      hide: true,
      querystring: Type.Object({ since: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }),
      response: {
        200: Type.Array(Type.Object({ sessionId: Type.String(), userId: Type.String(), revokedAt: Type.Integer() }, { additionalProperties: false })),
        401: ErrorResponse
      }
    }
  }, async (request) => app.sessions.revokedSince(request.query.since))
}
