import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { RefreshInvalidError, UnknownUserError } from '../../errors.js'
import { ErrorResponse } from '../../schemas.js'
import { safeReturnTo } from '../../pages/return-to.js'
import { TokenResponse, issueSessionTokens } from './session-tokens.js'

export interface RefreshRouteOptions {
  /** A browser may be sent back to a page of the bank or of retirement after a renewal, nowhere else. */
  bankUrl: string
  retirementUrl: string
}

const RefreshBody = Type.Object({
  refreshToken: Type.Optional(Type.String({ minLength: 1, maxLength: 128 }))
}, { additionalProperties: false })

async function rotate (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, token: string | undefined) {
  if (token === undefined) throw new RefreshInvalidError()
  const session = await app.sessions.refresh(token)
  const user = await app.users.findById(session.userId)
  if (user === undefined) throw new UnknownUserError()
  return issueSessionTokens(app, reply, user, session)
}

/**
 * The refresh cookie is SameSite=Strict and scoped to this path, so only these two routes ever see
 * it, and a cross-site page can neither send it nor read an answer: no CSRF token is needed here.
 */
export const refreshRoutes: FastifyPluginAsyncTypebox<RefreshRouteOptions> = async (app, options) => {
  app.post('/refresh', {
    // A browser or a cookie-jar client posts no body at all; that is an empty object here.
    preValidation: async (request) => { request.body ??= {} },
    schema: {
      tags: ['auth'],
      summary: 'Rotate the refresh token (cookie, or refreshToken in the body) for a new access token',
      body: RefreshBody,
      response: { 200: TokenResponse, 401: ErrorResponse }
    }
  }, async (request, reply) => {
    const token = request.body?.refreshToken ?? app.readRefreshToken(request)
    try {
      return await rotate(app, request, reply, token)
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 401) reply.clearAccessCookie().clearRefreshCookie()
      throw error
    }
  })

  // Pages renew here without a prompt: a page at either service whose access token has expired
  // sends the browser to GET /api/auth/refresh?return_to=<page>, and it comes straight back.
  app.get('/refresh', {
    schema: {
      tags: ['auth'],
      summary: 'Browser renewal: rotate the refresh cookie and redirect (303) to return_to, or to the login page',
      querystring: Type.Object({ return_to: Type.Optional(Type.String({ maxLength: 2048 })) }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const target = safeReturnTo(request.query.return_to, options.bankUrl, [options.retirementUrl])
    try {
      await rotate(app, request, reply, app.readRefreshToken(request))
      return reply.redirect(target, 303)
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 401) throw error
      reply.clearAccessCookie().clearRefreshCookie()
      return reply.redirect(`/login?return_to=${encodeURIComponent(target)}`, 303)
    }
  })
}
