import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Authentication } from './authentication.js'
import { ACCESS_TOKEN_TYP, BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TTL_SECONDS, LOGOUT_TOKEN_TYP } from './claims.js'
import type { IssuerConfig } from './config.js'
import { ErrorResponse, INTERNAL_PATHS, ISSUER_AUDIENCE, ISSUER_NAME, RevokedSessions, RevokedSessionsQuery, SCOPES, type RevokedSession, audienceOf } from './contract.js'
import { resolveKeySet } from './key-config.js'
import { type LogoutOutboxStore, type LogoutSender, createLogoutSender } from './logout-outbox.js'
import { isRefreshTokenShape } from './refresh-token.js'
import type { RelyingPartyEntry } from './relying-parties.js'
import { createTokenSigner } from './token-signer.js'
import { registerVerification } from './verification.js'
import { registerIssuerMetadata } from './issuer-metadata.js'
import { type KeyReloadResult, createKeyReload } from './key-reload.js'
import { KEYS_CHANGED_EVENT, KEYS_CHANGED_TOKEN_TTL_SECONDS, KEYS_CHANGED_TOKEN_TYP } from './keys-changed-notice.js'

export interface IssuerOptions {
  config: IssuerConfig
  /** The registry: every party that trusts the bank's login and hears of every logout. */
  parties: RelyingPartyEntry[]
  /** The bank's public URL: cookies are Secure when it is https. */
  publicUrl: string
  /** The bank's own sessions table, asked for every user token that names a session. */
  isSessionRevoked: (sessionId: string, userId: string) => boolean | Promise<boolean>
  /** The sessions ended since a moment, for a relying party catching up at start. */
  revokedSince: (since: number) => Promise<RevokedSession[]>
  /** Where logout notices wait until delivered; omitted, none are sent. */
  logoutOutbox?: LogoutOutboxStore
  logoutDelivery?: { autoStart: boolean, clock?: () => number, baseDelayMs?: number, maxDelayMs?: number, pollMs?: number, retryBudgetMs?: number }
  /** The one path the refresh cookie is sent to. */
  refreshPath?: string
}

export interface UserForToken {
  id: string
  username: string
  name: string
  sessionId?: string
  /**
   * Seconds until the session ends for good. The token and its cookie end then (whole seconds, at
   * least 1) if that comes before the usual lifetime, so a session's last token does not outlive it.
   */
  sessionSecondsLeft?: number
  /** How and when the customer signed in: the session's, copied as-is (a refresh never raises it). */
  authentication: Authentication
}

export interface SignedAccessToken {
  accessToken: string
  expiresIn: number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Signs a user access token whose audiences are the bank and every relying party. */
    signAccessToken: (user: UserForToken) => Promise<SignedAccessToken>
    /** The refresh token from its cookie, if it has the right shape. */
    readRefreshToken: (request: FastifyRequest) => string | undefined
    /** The names of the relying parties, each of which gets a notice of every logout. */
    relyingParties: readonly string[]
    /** Delivers the logout outbox; `kick()` after a session ends sends its notices at once. */
    logoutNotices: LogoutSender
    /**
     * Re-reads the bank's key files (JWT_KEYS_FILE, JWT_SECRET_FILE); if a kid was dropped, every
     * party is told at once (a keys-changed notice). The bank's server calls it on SIGHUP.
     */
    reloadSigningKeys: () => KeyReloadResult
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
 * The bank's role: it signs user access tokens for every party, sets and clears their cookies,
 * publishes its keys (eddsa), keeps the registry of relying parties and tells each of every logout.
 */
async function issuerPlugin (app: FastifyInstance, options: IssuerOptions): Promise<void> {
  const { config } = options
  const keys = resolveKeySet(config, ISSUER_NAME)
  const verification = await registerVerification(app, {
    name: ISSUER_NAME,
    mode: config.AUTH_MODE,
    keys,
    // eddsa: each party's service tokens are checked against that party's JWKS.
    peers: Object.fromEntries(options.parties.map((party) => [party.name, party.url])),
    jwks: { cacheSeconds: config.JWKS_CACHE_SECONDS, refetchCooldownSeconds: config.JWKS_REFETCH_COOLDOWN_SECONDS },
    clockToleranceSeconds: config.CLOCK_TOLERANCE_SECONDS,
    accessCookieName: config.ACCESS_COOKIE_NAME,
    isSessionRevoked: options.isSessionRevoked,
    pages: { refreshUrl: '/api/auth/refresh', publicUrl: '' }
  })

  const audiences = [ISSUER_AUDIENCE, ...options.parties.map((party) => audienceOf(party.name))]
  const signAccess = createTokenSigner(keys, ACCESS_TOKEN_TYP)
  const signLogout = createTokenSigner(keys, LOGOUT_TOKEN_TYP)
  const signKeysChanged = createTokenSigner(keys, KEYS_CHANGED_TOKEN_TYP)
  const accessTtl = config.ACCESS_TOKEN_TTL_SECONDS

  app.decorate('relyingParties', Object.freeze(options.parties.map((party) => party.name)))
  app.decorate('signAccessToken', async function signAccessToken (user: UserForToken): Promise<SignedAccessToken> {
    const ttl = Math.max(1, Math.min(accessTtl, Math.floor(user.sessionSecondsLeft ?? Infinity)))
    const accessToken = signAccess({
      sub: user.id,
      username: user.username,
      name: user.name,
      ...(user.sessionId ? { sid: user.sessionId } : {}),
      amr: user.authentication.amr,
      acr: user.authentication.acr,
      // Never later than the token itself (a session clock ahead of the wall clock must not void it).
      auth_time: Math.min(user.authentication.authTime, Math.floor(Date.now() / 1000)),
      iss: ISSUER_AUDIENCE,
      aud: audiences
    }, ttl)
    return { accessToken, expiresIn: ttl }
  })

  const delivery = options.logoutDelivery ?? { autoStart: true }
  const sender = createLogoutSender({
    store: options.logoutOutbox ?? { due: async () => [], delivered: async () => {}, retryAt: async () => {} },
    parties: options.parties,
    signLogoutToken: (notice) => signLogout({
      sub: notice.userId,
      sid: notice.sessionId,
      events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
      iss: ISSUER_AUDIENCE,
      aud: audienceOf(notice.audience)
    }, LOGOUT_TOKEN_TTL_SECONDS),
    signKeysChangedToken: (notice) => signKeysChanged({
      sub: ISSUER_AUDIENCE,
      events: { [KEYS_CHANGED_EVENT]: { withdrawn: notice.withdrawn } },
      iss: ISSUER_AUDIENCE,
      aud: audienceOf(notice.audience)
    }, KEYS_CHANGED_TOKEN_TTL_SECONDS),
    log: app.log.child({ component: 'backchannel-logout' }),
    clock: delivery.clock ?? Date.now,
    baseDelayMs: delivery.baseDelayMs ?? 250,
    maxDelayMs: delivery.maxDelayMs ?? 30_000,
    pollMs: delivery.pollMs ?? 1000,
    ...(delivery.retryBudgetMs === undefined ? {} : { retryBudgetMs: delivery.retryBudgetMs })
  })
  app.decorate('logoutNotices', sender)
  if (options.logoutOutbox !== undefined && delivery.autoStart) {
    app.addHook('onReady', async () => {
      sender.start()
      sender.kick()
    })
  }
  app.addHook('preClose', async () => sender.stop())
  registerIssuerMetadata(app, { mode: config.AUTH_MODE, keys, publicUrl: options.publicUrl })
  app.decorate('reloadSigningKeys', createKeyReload({
    config,
    keys,
    forgetAcceptedTokens: verification.forgetAcceptedTokens,
    notifyParties: (withdrawn) => sender.keysChanged(withdrawn),
    log: app.log.child({ component: 'signing-keys' })
  }))

  // A relying party's catch-up after a restart: a logout it missed while down is on its deny-list
  // before it serves a request. Service tokens only.
  app.get(INTERNAL_PATHS.revokedSessions, {
    onRequest: [app.requireServiceToken(SCOPES.sessionsRead)],
    schema: {
      hide: true,
      querystring: RevokedSessionsQuery,
      response: { 200: RevokedSessions, 401: ErrorResponse }
    } as never
  }, async (request) => options.revokedSince((request.query as { since: number }).since))

  const refreshCookieName = config.REFRESH_COOKIE_NAME
  const secure = options.publicUrl.startsWith('https:')
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax' as const,
    path: '/',
    secure,
    ...(config.COOKIE_DOMAIN ? { domain: config.COOKIE_DOMAIN } : {})
  }
  // Strict and path-scoped: the refresh token reaches the refresh endpoint and nothing else.
  const refreshCookieOptions = { httpOnly: true, sameSite: 'strict' as const, path: options.refreshPath ?? '/api/auth/refresh', secure }

  app.decorate('readRefreshToken', function readRefreshToken (request: FastifyRequest) {
    const value = request.cookies[refreshCookieName]
    return isRefreshTokenShape(value) ? value : undefined
  })
  app.decorateReply('setAccessCookie', function setAccessCookie (this: FastifyReply, token: string, maxAgeSeconds = accessTtl) {
    return this.setCookie(config.ACCESS_COOKIE_NAME, token, { ...cookieOptions, maxAge: maxAgeSeconds })
  })
  app.decorateReply('clearAccessCookie', function clearAccessCookie (this: FastifyReply) {
    return this.clearCookie(config.ACCESS_COOKIE_NAME, cookieOptions)
  })
  app.decorateReply('setRefreshCookie', function setRefreshCookie (this: FastifyReply, token: string, maxAgeSeconds: number) {
    return this.setCookie(refreshCookieName, token, { ...refreshCookieOptions, maxAge: Math.max(0, Math.floor(maxAgeSeconds)) })
  })
  app.decorateReply('clearRefreshCookie', function clearRefreshCookie (this: FastifyReply) {
    return this.clearCookie(refreshCookieName, refreshCookieOptions)
  })
}

export const issuer = fp(issuerPlugin, { name: '@nestegg/shared-auth', fastify: '5.x' })
