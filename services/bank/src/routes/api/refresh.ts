import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CsrfOriginError } from '@nestegg/platform'
import { pageCsp } from '@nestegg/web-kit'
import { Type } from 'typebox'
import { RefreshInvalidError, UnknownUserError } from '../../errors.js'
import { ErrorResponse } from '../../schemas.js'
import { isCrossSite } from '../../pages/cross-site.js'
import { safeReturnTo } from '../../pages/return-to.js'
import { sameSiteRelayPage } from '../../pages/same-site-relay.js'
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
 * A request from another site never carries that cookie, so its absence there says nothing about
 * the session: such a request changes nothing and clears no cookie (docs/security.md).
 */
export const refreshRoutes: FastifyPluginAsyncTypebox<RefreshRouteOptions> = async (app, options) => {
  const ownOrigins = new Set([options.bankUrl, options.retirementUrl].map((url) => new URL(url).origin))
  const csp = pageCsp([options.retirementUrl])

  app.post('/refresh', {
    // Another site's form post (with or without a body) is refused before anything is read or cleared.
    onRequest: async (request) => { if (isCrossSite(request, ownOrigins)) throw new CsrfOriginError() },
    // A browser or a cookie-jar client posts no body at all; that is an empty object here.
    preValidation: async (request) => { request.body ??= {} },
    schema: {
      tags: ['auth'],
      summary: 'Rotate the refresh token (cookie, or refreshToken in the body) for a new access token',
      body: RefreshBody,
      response: { 200: TokenResponse, 401: ErrorResponse, 403: ErrorResponse }
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
      querystring: Type.Object({
        return_to: Type.Optional(Type.String({ maxLength: 2048 })),
        relayed: Type.Optional(Type.Literal('1', { description: 'Set by the same-site relay page; at most one relay' }))
      }, { additionalProperties: false })
    }
  }, async (request, reply) => {
    const target = safeReturnTo(request.query.return_to, options.bankUrl, [options.retirementUrl])
    const token = app.readRefreshToken(request)
    const crossSite = isCrossSite(request, ownOrigins)
    if (token === undefined && crossSite) {
      // Arriving from another site (a link in webmail, or another site's form post to a page) never
      // brings the Strict cookie. A page of our own sends the browser here again, same-origin, and
      // that request carries it. Should a browser still call that cross-site, log in: nothing cleared.
      if (request.query.relayed === '1') return reply.redirect(`/login?return_to=${encodeURIComponent(target)}`, 303)
      const again = `/api/auth/refresh?return_to=${encodeURIComponent(target)}&relayed=1`
      return reply.header('content-security-policy', csp).type('text/html; charset=utf-8').send(sameSiteRelayPage(again))
    }
    try {
      await rotate(app, request, reply, token)
      return reply.redirect(target, 303)
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 401) throw error
      if (!crossSite) reply.clearAccessCookie().clearRefreshCookie()
      return reply.redirect(`/login?return_to=${encodeURIComponent(target)}`, 303)
    }
  })
}
