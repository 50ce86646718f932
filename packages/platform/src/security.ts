/// <reference types="@fastify/csrf-protection" preserve="true" />
/// <reference types="@fastify/cookie" preserve="true" />
import fastifyCookie from '@fastify/cookie'
import csrfProtection from '@fastify/csrf-protection'
import formbody from '@fastify/formbody'
import type { IncomingMessage, ServerResponse } from 'node:http'
import helmet from 'helmet'
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { Type } from 'typebox'
import { codedError } from './errors.js'

export const CsrfOriginError = codedError('CSRF_ORIGIN_MISMATCH', 'Cross-site request refused', 403)
export const CsrfTokenError = codedError('CSRF_TOKEN_INVALID', 'Missing or invalid CSRF token', 403)

export interface SecurityOptions {
  /** Origins whose pages may post here (this service's own public origin, and its sibling's). */
  allowedOrigins: string[]
  /** Each service needs its own name: on localhost, cookies are shared across ports. */
  csrfCookieName: string
  secureCookies: boolean
  /** Extra CSP sources, e.g. form targets on the other service. */
  formActions?: string[]
}

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for every state change: requests carrying a Bearer token pass; anything else
     * (a cookie-authenticated request, or a form that is about to set one) needs a same-site Origin
     * and a valid CSRF token.
     */
    csrfGuard: preHandlerAsyncHookHandler
  }
  interface FastifyRequest {
    /**
     * How the request's credential arrived, set by the auth layer once it has checked it: Bearer
     * requests cannot be forged by another site, cookie-borne ones need the CSRF guard.
     */
    authVia: 'bearer' | 'cookie' | null
  }
}

function originOf (request: FastifyRequest): string | undefined {
  const origin = request.headers.origin
  if (typeof origin === 'string' && origin !== 'null') return origin
  const referer = request.headers.referer
  if (typeof referer === 'string') {
    try {
      return new URL(referer).origin
    } catch {
      return undefined
    }
  }
  return undefined
}

function isJson (request: FastifyRequest): boolean {
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')
}

type Middleware = (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) => void

/**
 * The headers a connect-style middleware sets, found by running it once against a recorder.
 * Throws if it does anything else (ends the response, fails): then it is not static.
 */
export function headersSetBy (middleware: Middleware): Record<string, string> {
  const headers: Record<string, string> = {}
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => { headers[name.toLowerCase()] = String(value) },
    removeHeader: (name: string) => { delete headers[name.toLowerCase()] },
    getHeader: (name: string) => headers[name.toLowerCase()]
  }
  let error: unknown
  let finished = false
  middleware({ headers: {} } as IncomingMessage, recorder as unknown as ServerResponse, (failure) => {
    finished = true
    error = failure
  })
  if (!finished || error !== undefined) throw new Error('the security-header middleware did not just set headers', { cause: error })
  return headers
}

async function security (app: FastifyInstance, options: SecurityOptions): Promise<void> {
  const origins = new Set(options.allowedOrigins.map((url) => new URL(url).origin))

  await app.register(formbody, { bodyLimit: 16 * 1024 })
  await app.register(fastifyCookie)
  // The auth layer, registered after this plugin, fills it in.
  app.decorateRequest('authVia', null)
  // Helmet decides the headers; they are the same for every response (no nonces), so they are
  // worked out once at start-up and written by Fastify with the rest of the reply, instead of
  // running helmet's middleware per request.
  const securityHeaders = headersSetBy(helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        formAction: ["'self'", ...(options.formActions ?? [])],
        frameAncestors: ["'none'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        objectSrc: ["'none'"]
      }
    },
    // Pages link across the two origins; keep the referrer to the origin only.
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    hsts: options.secureCookies
  }))
  // Answers are about one signed-in person (balances, plans, tokens): no browser or proxy keeps a
  // copy (ASVS 8.2.1). A route whose answer is the same for everyone (a stylesheet, the JWKS) sets
  // its own cache-control, which replaces this one.
  securityHeaders['cache-control'] = 'no-store'
  app.addHook('onRequest', function setSecurityHeaders (_request, reply, done) {
    reply.headers(securityHeaders)
    done()
  })
  await app.register(csrfProtection, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: options.csrfCookieName,
    cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: options.secureCookies }
  })

  app.decorate('csrfGuard', async function csrfGuard (request: FastifyRequest, reply: FastifyReply) {
    if (request.authVia === 'bearer') return
    const origin = originOf(request)
    // A JSON request that carries no credential (API login, signup) cannot be forged by a form:
    // browsers preflight cross-site JSON. It only has to come from a known origin if it names one.
    if (request.authVia === null && isJson(request)) {
      if (origin !== undefined && !origins.has(origin)) throw new CsrfOriginError()
      return
    }
    if (origin === undefined || !origins.has(origin)) throw new CsrfOriginError()
    // On a refused token @fastify/csrf-protection sends the error itself and never calls back: the
    // reply is then done, this promise is left pending (and collected), and the error handler gives
    // the refusal our code (CSRF_TOKEN_INVALID, `toErrorBody` in errors.ts). The reject below only
    // covers a version that would call back with the error instead.
    await new Promise<void>((resolve, reject) => {
      app.csrfProtection(request, reply, (error?: Error) => {
        if (error) reject(new CsrfTokenError())
        else resolve()
      })
    })
  })

  // Browser code that uses the cookie with JSON fetches its CSRF token here first.
  app.get('/api/csrf-token', {
    schema: {
      tags: ['security'],
      summary: 'A CSRF token for cookie-authenticated JSON requests (send it as x-csrf-token)',
      response: { 200: Type.Object({ csrfToken: Type.String() }) }
    } as never
  }, async (_request, reply) => ({ csrfToken: reply.generateCsrf() }))
}

export const securityPlugin = fp(security, {
  name: '@nestegg/platform/security',
  fastify: '5.x'
})
