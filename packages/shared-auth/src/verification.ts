/// <reference types="@fastify/jwt" preserve="true" />
/// <reference types="@fastify/cookie" preserve="true" />
import fastifyCookie from '@fastify/cookie'
import type {} from '@nestegg/platform'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { LRUCache } from 'lru-cache'
import {
  type AccessClaims,
  type ServiceCaller,
  type VerifiedUser,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  SERVICE_TOKEN_TYP,
  checkAccessClaims,
  checkServiceClaims
} from './claims.js'
import type { AuthenticatedUser } from './authentication.js'
import { JWKS_PATH, audienceOf } from './contract.js'
import { readCredential } from './credential.js'
import {
  AuthAmbiguousTokenError,
  AuthExpiredTokenError,
  AuthInvalidTokenError,
  AuthMissingTokenError,
  AuthRevokedSessionError,
  AuthScopeError
} from './errors.js'
import type { AuthMode, KeySet } from './keys.js'
import { createTokenSigner } from './token-signer.js'
import { type TokenVerifiers, registerTokenVerifiers } from './token-verifiers.js'
import { hasDangerousKeys, isCanonicalCompactJws } from './token-shape.js'

/** What both roles share: how tokens are read and checked, and service tokens to call the bank. */
export interface VerificationOptions {
  /** The party this service is; its audience is `nestegg-<name>`. */
  name: string
  mode: AuthMode
  /** hs256: the key set every service shares; eddsa: this service's own Ed25519 keys. */
  keys: KeySet
  /** The other parties whose tokens this one accepts, each with its server-to-server URL. */
  peers: Record<string, string>
  jwks: { cacheSeconds: number, refetchCooldownSeconds: number }
  clockToleranceSeconds: number
  accessCookieName: string
  /**
   * Asked for every user token that carries a session id, after the signature checks out. Must
   * answer from local state (the bank's sessions table, a relying party's deny-list).
   */
  isSessionRevoked: (sessionId: string, userId: string) => boolean | Promise<boolean>
  /** Where a page whose visitor is not signed in sends the browser: the bank's refresh, then login. */
  pages: { refreshUrl: string, publicUrl: string }
}

export interface ServiceTokenRequest {
  /** The user the service acts for (or the acting service itself, for calls on no user's behalf). */
  userId: string
  /** The party called: in practice the bank. */
  audience: string
  scope: string
  ttlSeconds?: number
}

// request.user is typed through @fastify/jwt's declaration merging: the user the bank vouched for.
declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Record<string, unknown>
    user: AuthenticatedUser
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest or preHandler hook: accepts a user access token from the Bearer header or the access cookie. */
    authenticate: onRequestAsyncHookHandler
    /** As `authenticate`, for HTML pages: a visitor without a valid token goes to the bank to sign in. */
    authenticatePage: onRequestAsyncHookHandler
    /** Returns a hook that accepts only a service token for this audience carrying `scope`. */
    requireServiceToken: (scope: string) => onRequestAsyncHookHandler
    /**
     * Verifies the request's user credential without answering; throws a 401 error on failure.
     * `allowExpired` accepts an expired but genuine token (logout uses it to find the session).
     */
    verifyUserRequest: (request: FastifyRequest, options?: { allowExpired?: boolean }) => Promise<VerifiedUser>
    /** Signs a short-lived service token in which this service acts for a user. */
    signServiceToken: (request: ServiceTokenRequest) => Promise<string>
    authMode: AuthMode
  }
  interface FastifyRequest {
    /** The session and token behind `request.user`, once authenticated. */
    authSession: { sessionId: string | undefined, tokenId: string, expiresAt: number } | null
    serviceCaller: ServiceCaller | null
  }
}

/**
 * Access tokens already accepted, keyed by the token itself, each until its own expiry and at most
 * a minute, so that a key dropped from a peer's JWKS stops working soon. Revocation is asked every
 * time; only the signature and claim checks are skipped.
 */
const ACCEPTED_TOKENS = 10_000
const ACCEPTED_FOR_MS = 60_000

function mapVerifyError (error: unknown): Error {
  const code = (error as { code?: string }).code ?? ''
  if (code.includes('EXPIRED')) return new AuthExpiredTokenError()
  return new AuthInvalidTokenError()
}

/** Registers token reading and checking; answers the verifiers for the role plugins to build on. */
export async function registerVerification (app: FastifyInstance, options: VerificationOptions): Promise<TokenVerifiers & {
  rejectFutureIat: (iat: number) => void
  /** Drops the accepted-token cache entries whose signing kid `withdrawn` names (a key withdrawal). */
  forgetAcceptedTokens: (withdrawn: (kid: string) => boolean) => number
}> {
  const toleranceMs = options.clockToleranceSeconds * 1000
  if (!app.hasDecorator('parseCookie')) await app.register(fastifyCookie)
  const tokens = await registerTokenVerifiers(app, {
    name: options.name,
    mode: options.mode,
    keys: options.keys,
    peers: options.peers,
    jwks: { ...options.jwks, onError: (error) => app.log.warn({ err: error }, 'could not fetch a JWKS') },
    clockToleranceSeconds: options.clockToleranceSeconds
  })
  const signService = createTokenSigner(options.keys, SERVICE_TOKEN_TYP)
  const ownAudience = audienceOf(options.name)

  function rejectFutureIat (iat: number): void {
    if (iat * 1000 > Date.now() + toleranceMs) throw new AuthInvalidTokenError()
  }

  // On the wall clock, as token expiry is.
  const accepted = new LRUCache<string, { claims: AccessClaims, kid: string }>({ max: ACCEPTED_TOKENS, ttl: ACCEPTED_FOR_MS, ttlResolution: 0, perf: { now: () => Date.now() } })

  /** The verified, checked claims of a user access token; `allowExpired` never uses the cache. */
  async function acceptAccessToken (token: string, allowExpired: boolean): Promise<AccessClaims> {
    if (!allowExpired) {
      const hit = accepted.get(token)
      if (hit !== undefined) return hit.claims
    }
    if (!isCanonicalCompactJws(token)) throw new AuthInvalidTokenError()
    let payload: unknown
    try {
      payload = await tokens.verifyAccess(token, allowExpired)
    } catch (error) {
      throw mapVerifyError(error)
    }
    if (!checkAccessClaims.Check(payload) || hasDangerousKeys(payload)) throw new AuthInvalidTokenError()
    const claims: AccessClaims = payload
    rejectFutureIat(claims.iat)
    // A sign-in cannot come after the token that reports it.
    if (claims.auth_time > claims.iat) throw new AuthInvalidTokenError()
    if (!allowExpired) {
      const ttl = Math.min(claims.exp * 1000 + toleranceMs - Date.now(), ACCEPTED_FOR_MS)
      if (ttl > 0) accepted.set(token, Object.freeze({ claims: Object.freeze(claims), kid: signingKid(token) }), { ttl })
    }
    return claims
  }

  async function verifyUserRequest (request: FastifyRequest, verifyOptions: { allowExpired?: boolean } = {}): Promise<VerifiedUser> {
    const credential = readCredential(request, options.accessCookieName)
    if (credential.kind === 'none') throw new AuthMissingTokenError()
    if (credential.kind === 'ambiguous') throw new AuthAmbiguousTokenError()
    const claims = await acceptAccessToken(credential.token, verifyOptions.allowExpired === true)
    if (claims.sid !== undefined && (await options.isSessionRevoked(claims.sid, claims.sub))) {
      throw new AuthRevokedSessionError()
    }
    request.authVia = credential.kind
    return {
      user: { id: claims.sub, username: claims.username, name: claims.name, amr: claims.amr, acr: claims.acr, authTime: claims.auth_time },
      sessionId: claims.sid,
      tokenId: claims.jti,
      expiresAt: claims.exp
    }
  }

  async function authenticate (request: FastifyRequest): Promise<void> {
    const verified = await verifyUserRequest(request)
    request.user = verified.user
    request.authSession = { sessionId: verified.sessionId, tokenId: verified.tokenId, expiresAt: verified.expiresAt }
  }

  app.decorate('authMode', options.mode)
  // request.user is decorated by @fastify/jwt (its first namespace registration).
  // Declared by the platform's security plugin for its CSRF guard; a service without it gets it here.
  if (!app.hasRequestDecorator('authVia')) app.decorateRequest('authVia', null)
  app.decorateRequest('authSession', null)
  app.decorateRequest('serviceCaller', null)
  app.decorate('verifyUserRequest', verifyUserRequest)
  app.decorate('authenticate', authenticate)

  const refreshUrl = options.pages.refreshUrl
  const publicBase = options.pages.publicUrl.replace(/\/+$/, '')
  app.decorate('authenticatePage', async function authenticatePage (request: FastifyRequest, reply: FastifyReply) {
    try {
      await authenticate(request)
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 401) throw error
      // Through the bank's refresh endpoint: while the session lives it renews the access token and
      // sends the browser straight back; otherwise on to log in. 303 after a form post.
      const returnTo = `${publicBase}${request.url}`
      return reply.redirect(`${refreshUrl}?return_to=${encodeURIComponent(returnTo)}`, request.method === 'GET' ? 302 : 303)
    }
  })

  app.decorate('requireServiceToken', function requireServiceToken (scope: string) {
    return async function authenticateService (request: FastifyRequest) {
      // Service tokens travel only in the Authorization header, never in a browser cookie.
      const credential = readCredential(request, null)
      if (credential.kind !== 'bearer') throw new AuthMissingTokenError()
      if (!isCanonicalCompactJws(credential.token)) throw new AuthInvalidTokenError()
      let payload: unknown
      try {
        payload = await tokens.verifyService(credential.token)
      } catch (error) {
        throw mapVerifyError(error)
      }
      if (!checkServiceClaims.Check(payload) || hasDangerousKeys(payload)) throw new AuthInvalidTokenError()
      rejectFutureIat(payload.iat)
      if (payload.exp - payload.iat > SERVICE_TOKEN_MAX_TTL_SECONDS) throw new AuthInvalidTokenError()
      const scopes = payload.scope.split(' ')
      if (!scopes.includes(scope) || payload.act.sub !== payload.iss) throw new AuthScopeError()
      request.authVia = 'bearer'
      request.serviceCaller = { userId: payload.sub, actor: payload.act.sub, scope: scopes, tokenId: payload.jti }
    }
  })

  app.decorate('signServiceToken', async function signServiceToken (request: ServiceTokenRequest) {
    const ttl = Math.min(request.ttlSeconds ?? SERVICE_TOKEN_MAX_TTL_SECONDS, SERVICE_TOKEN_MAX_TTL_SECONDS)
    return signService({ sub: request.userId, scope: request.scope, act: { sub: ownAudience }, iss: ownAudience, aud: audienceOf(request.audience) }, ttl)
  })

  if (options.mode === 'eddsa') {
    // Public keys only: the parties that verify this service's tokens fetch them.
    app.get(JWKS_PATH, { schema: { hide: true } as never }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return options.keys.publicJwks()
    })
  }
  function forgetAcceptedTokens (withdrawn: (kid: string) => boolean): number {
    let forgotten = 0
    for (const [token, entry] of accepted.entries()) {
      if (withdrawn(entry.kid) && accepted.delete(token)) forgotten++
    }
    return forgotten
  }
  return { ...tokens, rejectFutureIat, forgetAcceptedTokens }
}

/** The header's kid of a token that has just been verified (so its header is canonical JSON with a kid). */
function signingKid (token: string): string {
  const header = JSON.parse(Buffer.from(token.slice(0, token.indexOf('.')), 'base64url').toString('utf8')) as { kid?: unknown }
  return typeof header.kid === 'string' ? header.kid : ''
}
