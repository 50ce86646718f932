/// <reference types="@fastify/jwt" preserve="true" />
/// <reference types="@fastify/cookie" preserve="true" />
import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import {
  ACCESS_TOKEN_TYP,
  ALGORITHM,
  type AccessClaims,
  type AuthenticatedUser,
  PARTIES,
  REQUIRED_CLAIMS,
  SERVICE_TOKEN_MAX_TTL_SECONDS,
  SERVICE_TOKEN_TYP,
  type ServiceCaller,
  type ServiceName,
  checkAccessClaims,
  checkServiceClaims
} from './claims.js'
import {
  AuthAmbiguousTokenError,
  AuthExpiredTokenError,
  AuthInvalidTokenError,
  AuthMissingTokenError,
  AuthScopeError
} from './errors.js'
import { readCredential } from './credential.js'
import { hasDangerousKeys, isCanonicalCompactJws } from './token-shape.js'

export interface SharedAuthOptions {
  /** The common HMAC secret (see resolveJwtSecret). */
  secret: string
  /** The service this instance runs in: its audience, and the issuer of the service tokens it mints. */
  service: ServiceName
  accessTokenTtlSeconds: number
  clockToleranceSeconds: number
  cookie: {
    name: string
    /** Secure when the service's public URL is https. */
    secure: boolean
    domain?: string | undefined
  }
}

export interface UserForToken {
  id: string
  username: string
  name: string
  sessionId?: string
}

export interface SignedAccessToken {
  accessToken: string
  expiresIn: number
}

export interface ServiceTokenRequest {
  /** The user the service acts for. */
  userId: string
  audience: ServiceName
  scope: string
  ttlSeconds?: number
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: Record<string, unknown>
    user: AuthenticatedUser
    namespaces: 'access' | 'service'
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** onRequest hook: accepts a user access token from the Bearer header or the access cookie. */
    authenticate: onRequestAsyncHookHandler
    /** Returns a hook that accepts only a service token for this audience carrying `scope`. */
    requireServiceToken: (scope: string) => onRequestAsyncHookHandler
    /** Verifies the request's user credential without answering; throws a 401 error on failure. */
    verifyUserRequest: (request: FastifyRequest) => Promise<AuthenticatedUser>
    /** Signs a user access token; only the bank may call it. */
    signAccessToken: (user: UserForToken) => Promise<SignedAccessToken>
    /** Signs a short-lived service token in which this service acts for a user. */
    signServiceToken: (request: ServiceTokenRequest) => Promise<string>
  }
  interface FastifyRequest {
    /** How the credential arrived; cookie-borne requests need CSRF protection, Bearer ones do not. */
    authVia: 'bearer' | 'cookie' | null
    serviceCaller: ServiceCaller | null
  }
  interface FastifyReply {
    setAccessCookie: (token: string) => FastifyReply
    clearAccessCookie: () => FastifyReply
  }
}

function mapVerifyError (error: unknown): Error {
  const code = (error as { code?: string }).code ?? ''
  if (code.includes('EXPIRED')) return new AuthExpiredTokenError()
  return new AuthInvalidTokenError()
}

async function sharedAuth (app: FastifyInstance, options: SharedAuthOptions): Promise<void> {
  const ownAudience = PARTIES[options.service]
  const toleranceMs = options.clockToleranceSeconds * 1000

  await app.register(fastifyCookie)
  // User access tokens: issued by the bank only, for every Nestegg audience.
  await app.register(fastifyJwt, {
    namespace: 'access',
    jwtVerify: 'accessJwtVerify',
    jwtSign: 'accessJwtSign',
    jwtDecode: 'accessJwtDecode',
    secret: options.secret,
    sign: {
      algorithm: ALGORITHM,
      iss: PARTIES.bank,
      aud: Object.values(PARTIES),
      // @fastify/jwt reads a numeric expiresIn as seconds.
      expiresIn: options.accessTokenTtlSeconds,
      header: { alg: ALGORITHM, typ: ACCESS_TOKEN_TYP }
    },
    verify: {
      algorithms: [ALGORITHM],
      allowedIss: PARTIES.bank,
      allowedAud: ownAudience,
      requiredClaims: REQUIRED_CLAIMS,
      checkTyp: ACCESS_TOKEN_TYP,
      // fast-jwt counts this in milliseconds, even through @fastify/jwt.
      clockTolerance: toleranceMs,
      cache: 10000,
      errorCacheTTL: 60000
    }
  })
  // Service tokens: another service acting for a user, addressed to this service only.
  await app.register(fastifyJwt, {
    namespace: 'service',
    jwtVerify: 'serviceJwtVerify',
    jwtSign: 'serviceJwtSign',
    jwtDecode: 'serviceJwtDecode',
    secret: options.secret,
    sign: { algorithm: ALGORITHM, iss: ownAudience, header: { alg: ALGORITHM, typ: SERVICE_TOKEN_TYP } },
    verify: {
      algorithms: [ALGORITHM],
      allowedAud: ownAudience,
      requiredClaims: [...REQUIRED_CLAIMS, 'scope', 'act', 'jti'],
      checkTyp: SERVICE_TOKEN_TYP,
      clockTolerance: toleranceMs
    }
  })

  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure: options.cookie.secure,
    ...(options.cookie.domain ? { domain: options.cookie.domain } : {})
  }

  function rejectFutureIat (iat: number): void {
    if (iat * 1000 > Date.now() + toleranceMs) throw new AuthInvalidTokenError()
  }

  async function verifyUserRequest (request: FastifyRequest): Promise<AuthenticatedUser> {
    const credential = readCredential(request, options.cookie.name)
    if (credential.kind === 'none') throw new AuthMissingTokenError()
    if (credential.kind === 'ambiguous') throw new AuthAmbiguousTokenError()
    if (!isCanonicalCompactJws(credential.token)) throw new AuthInvalidTokenError()
    let payload: unknown
    try {
      payload = app.jwt.access.verify(credential.token)
    } catch (error) {
      throw mapVerifyError(error)
    }
    if (!checkAccessClaims.Check(payload) || hasDangerousKeys(payload)) throw new AuthInvalidTokenError()
    const claims: AccessClaims = payload
    rejectFutureIat(claims.iat)
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
        payload = app.jwt.service.verify(credential.token)
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
    const accessToken = app.jwt.access.sign({
      sub: user.id,
      username: user.username,
      name: user.name,
      jti: randomUUID(),
      ...(user.sessionId ? { sid: user.sessionId } : {})
    })
    return { accessToken, expiresIn: options.accessTokenTtlSeconds }
  })

  app.decorate('signServiceToken', async function signServiceToken (request: ServiceTokenRequest) {
    const ttl = Math.min(request.ttlSeconds ?? SERVICE_TOKEN_MAX_TTL_SECONDS, SERVICE_TOKEN_MAX_TTL_SECONDS)
    return app.jwt.service.sign(
      { sub: request.userId, scope: request.scope, act: { sub: ownAudience }, jti: randomUUID() },
      { aud: PARTIES[request.audience], expiresIn: ttl }
    )
  })

  app.decorateReply('setAccessCookie', function setAccessCookie (this: FastifyReply, token: string) {
    return this.setCookie(options.cookie.name, token, {
      ...cookieOptions,
      maxAge: options.accessTokenTtlSeconds
    })
  })

  app.decorateReply('clearAccessCookie', function clearAccessCookie (this: FastifyReply) {
    return this.clearCookie(options.cookie.name, cookieOptions)
  })
}

export const sharedAuthPlugin = fp(sharedAuth, { name: '@nestegg/shared-auth', fastify: '5.x' })
