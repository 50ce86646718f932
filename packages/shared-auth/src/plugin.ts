/// <reference types="@fastify/jwt" preserve="true" />
/// <reference types="@fastify/cookie" preserve="true" />
import fastifyCookie from '@fastify/cookie'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import { LRUCache } from 'lru-cache'
import {
  type AccessClaims,
  type AuthenticatedUser,
  type LogoutNotice,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  type ServiceCaller,
  type ServiceName,
  checkAccessClaims,
  checkLogoutClaims,
  checkServiceClaims,
  PARTIES
} from './claims.js'
import {
  AuthAmbiguousTokenError,
  AuthExpiredTokenError,
  AuthInvalidTokenError,
  AuthMissingTokenError,
  AuthRevokedSessionError,
  AuthScopeError
} from './errors.js'
import { readCredential } from './credential.js'
import { type AuthMode, KeySet, hmacKey } from './keys.js'
import { isRefreshTokenShape } from './refresh-token.js'
import { createTokenService } from './token-service.js'
import { hasDangerousKeys, isCanonicalCompactJws } from './token-shape.js'

export interface SharedAuthOptions {
  /** Shorthand for a key set of one HMAC secret (its kid derived from it). */
  secret?: string
  /** hs256: the key set every service shares; eddsa: this service's own Ed25519 keys. */
  keys?: KeySet
  mode?: AuthMode
  /** eddsa: the JWKS URL of each other party whose tokens this service accepts. */
  peerJwks?: Partial<Record<ServiceName, string>>
  jwks?: { cacheSeconds: number, refetchCooldownSeconds: number, now?: () => number }
  /** The service this instance runs in: its audience, and the issuer of the service tokens it mints. */
  service: ServiceName
  accessTokenTtlSeconds: number
  clockToleranceSeconds: number
  cookie: {
    name: string
    /** Secure when the service's public URL is https. */
    secure: boolean
    domain?: string | undefined
    /** The refresh cookie (the bank only): its name and the one path it is sent to. */
    refreshName?: string
    refreshPath?: string
  }
  /**
   * Asked for every user token that carries a session id, after the signature checks out. Must
   * answer from local state (the bank's sessions table, retirement's deny-list), never a remote call.
   */
  isSessionRevoked?: (sessionId: string, userId: string) => boolean | Promise<boolean>
}

export interface UserForToken {
  id: string
  username: string
  name: string
  sessionId?: string
  /**
   * Seconds until the session ends for good (its absolute lifetime). The token, and its cookie, then
   * end at that moment (in whole seconds, at least 1) if it comes before the usual access-token
   * lifetime: a session's last token does not outlive the session by more than the verifiers' clock
   * tolerance, at the bank or anywhere else.
   */
  sessionSecondsLeft?: number
}

export interface SignedAccessToken {
  accessToken: string
  expiresIn: number
}

export interface ServiceTokenRequest {
  /** The user the service acts for (or the acting service itself, for calls on no user's behalf). */
  userId: string
  audience: ServiceName
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
    /** onRequest hook: accepts a user access token from the Bearer header or the access cookie. */
    authenticate: onRequestAsyncHookHandler
    /** Returns a hook that accepts only a service token for this audience carrying `scope`. */
    requireServiceToken: (scope: string) => onRequestAsyncHookHandler
    /**
     * Verifies the request's user credential without answering; throws a 401 error on failure.
     * `allowExpired` accepts an expired but genuine token (logout uses it to find the session).
     */
    verifyUserRequest: (request: FastifyRequest, options?: { allowExpired?: boolean }) => Promise<AuthenticatedUser>
    /** Signs a user access token; only the bank may call it. */
    signAccessToken: (user: UserForToken) => Promise<SignedAccessToken>
    /** Signs a short-lived service token in which this service acts for a user. */
    signServiceToken: (request: ServiceTokenRequest) => Promise<string>
    /** Signs a back-channel logout token for one session (the bank only). */
    signLogoutToken: (notice: { sessionId: string, userId: string, audience: ServiceName }) => Promise<string>
    /** Verifies a logout token from the bank addressed to this service; throws a 401 error on failure. */
    verifyLogoutToken: (token: string) => Promise<LogoutNotice>
    /** The refresh token from its cookie, if it has the right shape. */
    readRefreshToken: (request: FastifyRequest) => string | undefined
    authMode: AuthMode
  }
  interface FastifyRequest {
    /** How the credential arrived; cookie-borne requests need CSRF protection, Bearer ones do not. */
    authVia: 'bearer' | 'cookie' | null
    serviceCaller: ServiceCaller | null
  }
  interface FastifyReply {
    /** Max-Age defaults to the access-token lifetime; pass the token's `expiresIn` when it is shorter. */
    setAccessCookie: (token: string, maxAgeSeconds?: number) => FastifyReply
    clearAccessCookie: () => FastifyReply
    setRefreshCookie: (token: string, maxAgeSeconds: number) => FastifyReply
    clearRefreshCookie: () => FastifyReply
  }
}

/**
 * Access tokens already accepted, keyed by the token itself: up to 10 000, each until its own expiry
 * and at most a minute: a token whose key leaves a peer's JWKS stops verifying within a minute of
 * the refetch that drops it (a new HS256 key set needs a restart, which empties the cache). A
 * signed-in user's next requests skip the shape check, the signature, the claim checks and the
 * hashing fast-jwt's own cache did to key its entries (docs/benchmarks.md).
 * Only successes are kept; revocation (the deny-list or the bank's sessions) is asked every time.
 */
const ACCEPTED_TOKENS = 10_000
const ACCEPTED_FOR_MS = 60_000

interface Accepted {
  claims: AccessClaims
  /** Epoch ms after which the entry is no longer used (its exp plus the tolerance, or a minute). */
  until: number
}

function mapVerifyError (error: unknown): Error {
  const code = (error as { code?: string }).code ?? ''
  if (code.includes('EXPIRED')) return new AuthExpiredTokenError()
  return new AuthInvalidTokenError()
}

async function sharedAuth (app: FastifyInstance, options: SharedAuthOptions): Promise<void> {
  const ownAudience = PARTIES[options.service]
  const toleranceMs = options.clockToleranceSeconds * 1000
  const mode = options.mode ?? 'hs256'
  const keys = options.keys ?? (options.secret !== undefined ? new KeySet([hmacKey(options.secret)]) : undefined)
  if (keys === undefined) throw new Error('shared-auth needs keys or a secret')
  await app.register(fastifyCookie)
  const tokens = await createTokenService(app, {
    service: options.service,
    mode,
    keys,
    peers: options.peerJwks ?? {},
    jwks: {
      ...(options.jwks ?? { cacheSeconds: 300, refetchCooldownSeconds: 30 }),
      onError: (error) => app.log.warn({ err: error }, 'could not fetch a JWKS')
    },
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    clockToleranceSeconds: options.clockToleranceSeconds
  })

  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: options.cookie.secure,
    ...(options.cookie.domain ? { domain: options.cookie.domain } : {})
  }
  const refreshCookieName = options.cookie.refreshName ?? 'nestegg_refresh'
  // Strict and path-scoped: the refresh token reaches the refresh endpoint and nothing else.
  const refreshCookieOptions = {
    httpOnly: true,
    sameSite: 'strict' as const,
    path: options.cookie.refreshPath ?? '/api/auth/refresh',
    secure: options.cookie.secure
  }

  function rejectFutureIat (iat: number): void {
    if (iat * 1000 > Date.now() + toleranceMs) throw new AuthInvalidTokenError()
  }

  const accepted = new LRUCache<string, Accepted>({ max: ACCEPTED_TOKENS })

  /** The verified, checked claims of a user access token; `allowExpired` never uses the cache. */
  async function acceptAccessToken (token: string, allowExpired: boolean): Promise<AccessClaims> {
    const now = Date.now()
    if (!allowExpired) {
      const hit = accepted.get(token)
      if (hit !== undefined && hit.until > now) return hit.claims
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
    if (!allowExpired) accepted.set(token, { claims: Object.freeze(claims), until: Math.min(claims.exp * 1000 + toleranceMs, now + ACCEPTED_FOR_MS) })
    return claims
  }

  async function verifyUserRequest (request: FastifyRequest, verifyOptions: { allowExpired?: boolean } = {}): Promise<AuthenticatedUser> {
    const credential = readCredential(request, options.cookie.name)
    if (credential.kind === 'none') throw new AuthMissingTokenError()
    if (credential.kind === 'ambiguous') throw new AuthAmbiguousTokenError()
    const claims = await acceptAccessToken(credential.token, verifyOptions.allowExpired === true)
    if (claims.sid !== undefined && options.isSessionRevoked && (await options.isSessionRevoked(claims.sid, claims.sub))) {
      throw new AuthRevokedSessionError()
    }
    request.authVia = credential.kind
    return {
      id: claims.sub,
      username: claims.username,
      name: claims.name,
      sessionId: claims.sid,
      tokenId: claims.jti,
      expiresAt: claims.exp
    }
  }

  app.decorate('authMode', mode)
  // request.user is decorated by @fastify/jwt (its first namespace registration).
  app.decorateRequest('authVia', null)
  app.decorateRequest('serviceCaller', null)
  app.decorate('verifyUserRequest', verifyUserRequest)

  app.decorate('authenticate', async function authenticate (request: FastifyRequest) {
    request.user = await verifyUserRequest(request)
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

  app.decorate('signAccessToken', async function signAccessToken (user: UserForToken) {
    if (options.service !== 'bank') {
      throw new Error('Only the bank issues user access tokens')
    }
    const ttl = Math.max(1, Math.min(options.accessTokenTtlSeconds, Math.floor(user.sessionSecondsLeft ?? Infinity)))
    const accessToken = tokens.signAccess({
      sub: user.id,
      username: user.username,
      name: user.name,
      ...(user.sessionId ? { sid: user.sessionId } : {})
    }, ttl)
    return { accessToken, expiresIn: ttl }
  })

  app.decorate('signServiceToken', async function signServiceToken (request: ServiceTokenRequest) {
    const ttl = Math.min(request.ttlSeconds ?? SERVICE_TOKEN_MAX_TTL_SECONDS, SERVICE_TOKEN_MAX_TTL_SECONDS)
    return tokens.signService({ sub: request.userId, scope: request.scope, act: { sub: ownAudience } }, request.audience, ttl)
  })

  app.decorate('signLogoutToken', async function signLogoutToken (notice: { sessionId: string, userId: string, audience: ServiceName }) {
    if (options.service !== 'bank') throw new Error('Only the bank issues logout tokens')
    return tokens.signLogout(notice.sessionId, notice.userId, notice.audience)
  })

  app.decorate('verifyLogoutToken', async function verifyLogoutToken (token: string): Promise<LogoutNotice> {
    if (!isCanonicalCompactJws(token)) throw new AuthInvalidTokenError()
    let payload: unknown
    try {
      payload = await tokens.verifyLogout(token)
    } catch (error) {
      throw mapVerifyError(error)
    }
    // OpenID Connect Back-Channel Logout §2.6: a logout token never carries a nonce.
    if (!checkLogoutClaims.Check(payload) || hasDangerousKeys(payload) || Object.hasOwn(payload, 'nonce')) {
      throw new AuthInvalidTokenError()
    }
    rejectFutureIat(payload.iat)
    return { sessionId: payload.sid, userId: payload.sub, tokenId: payload.jti, issuedAt: payload.iat }
  })

  app.decorate('readRefreshToken', function readRefreshToken (request: FastifyRequest) {
    const value = request.cookies[refreshCookieName]
    return isRefreshTokenShape(value) ? value : undefined
  })

  if (mode === 'eddsa') {
    // Public keys only; retirement (and anyone) may fetch them. Cached briefly by clients.
    app.get('/.well-known/jwks.json', { schema: { hide: true } as never }, async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300')
      return tokens.publicJwks()
    })
  }

  app.decorateReply('setAccessCookie', function setAccessCookie (this: FastifyReply, token: string, maxAgeSeconds = options.accessTokenTtlSeconds) {
    return this.setCookie(options.cookie.name, token, {
      ...cookieOptions,
      maxAge: maxAgeSeconds
    })
  })

  app.decorateReply('clearAccessCookie', function clearAccessCookie (this: FastifyReply) {
    return this.clearCookie(options.cookie.name, cookieOptions)
  })

  app.decorateReply('setRefreshCookie', function setRefreshCookie (this: FastifyReply, token: string, maxAgeSeconds: number) {
    return this.setCookie(refreshCookieName, token, { ...refreshCookieOptions, maxAge: Math.max(0, Math.floor(maxAgeSeconds)) })
  })

  app.decorateReply('clearRefreshCookie', function clearRefreshCookie (this: FastifyReply) {
    return this.clearCookie(refreshCookieName, refreshCookieOptions)
  })
}

export const sharedAuthPlugin = fp(sharedAuth, { name: '@nestegg/shared-auth', fastify: '5.x' })
