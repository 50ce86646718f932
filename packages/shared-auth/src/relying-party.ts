import { fetchWithTimeout, loadConfig } from '@nestegg/platform'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type LogoutNotice, checkLogoutClaims } from './claims.js'
import { type RelyingPartyConfig, RelyingPartyConfigSchema } from './config.js'
import {
  BackchannelLogoutBody,
  ErrorResponse,
  INTERNAL_PATHS,
  ISSUER_NAME,
  type RevokedSession,
  SCOPES,
  audienceOf,
  isPartyName
} from './contract.js'
import { type DeniedSession, type DenyListStore, memoryDenyList } from './deny-list.js'
import { AuthConfigError, AuthInvalidTokenError, AuthExpiredTokenError } from './errors.js'
import { resolveKeySet } from './key-config.js'
import { hasDangerousKeys, isCanonicalCompactJws } from './token-shape.js'
import { registerVerification } from './verification.js'
import { registerKeysChangedRoute } from './keys-changed-route.js'
import { decorateRevocationsGuard } from './revocations-guard.js'
import { createTrustCheck } from './trust-check.js'

export interface RelyingPartyOptions {
  /** This service's name in RELYING_PARTIES; its audience is `nestegg-<name>`. */
  name: string
  /** Validated settings; omitted, they are read from the environment (see RelyingPartyConfigSchema). */
  config?: RelyingPartyConfig
  /** Where ended sessions are kept; in memory by default. */
  denyList?: DenyListStore
  /**
   * Ask the bank for the sessions ended while this service was down, once listening (default true);
   * tests shorten the retry and warning delays.
   */
  catchUp?: boolean | { retryMs?: number, warnAfterMs?: number }
  /**
   * What `app.requireCurrentRevocations` refuses with before the first catch-up: a coded 503 of the
   * service's own (default AUTH_REVOCATIONS_UNAVAILABLE).
   */
  revocationsUnavailableError?: () => Error
  /** How often the bank's issuer metadata is checked once caught up (default 30 s; each catch-up attempt checks it too). */
  trustCheckMs?: number
  /** This service's public URL: a page visitor who must sign in comes back to it. */
  publicUrl?: string
  clock?: () => number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Ends sessions here as the bank ended them (the back-channel route and the catch-up call it). */
    denySessions: (sessions: RevokedSession[]) => Promise<void>
    /** Asks the bank for the sessions ended in the last access-token lifetime; answers how many. */
    catchUpRevokedSessions: () => Promise<number>
    /**
     * False from start until a catch-up has succeeded (true when this service does not catch up):
     * until then a session the bank ended while this one was down may still be accepted. Routes that
     * move money refuse while it is false, through `requireCurrentRevocations` (docs/security.md).
     */
    revocationsCurrent: () => boolean
    /** Checks this party's setup against the bank's issuer metadata now (docs/security.md). */
    checkIssuerTrust: () => Promise<'ok' | 'mismatch' | 'unreachable'>
    /** What is wrong with this party's trust in the bank, one line each, naming the setting to change; for /readyz. */
    issuerTrustProblems: () => string[]
  }
}

/**
 * The role of every service that trusts the bank's login: it verifies the bank's tokens (cookie or
 * Bearer), serves the back-channel logout route, keeps the deny-list, and catches up at start.
 * It cannot sign a user token; it signs service tokens, with a scope, to call the bank.
 */
async function relyingPartyPlugin (app: FastifyInstance, options: RelyingPartyOptions): Promise<void> {
  if (!isPartyName(options.name) || options.name === ISSUER_NAME) {
    throw new AuthConfigError(`relyingParty needs a name of lower-case letters, digits and "-", not "${options.name}"`)
  }
  const config = options.config ?? loadConfig(RelyingPartyConfigSchema, process.env)
  const clock = options.clock ?? Date.now
  const bankUrl = config.BANK_INTERNAL_URL ?? config.BANK_URL
  const store = options.denyList ?? memoryDenyList({ clock })
  // A revoked session stays denied until its longest access token could have expired.
  const holdMs = (config.ACCESS_TOKEN_TTL_SECONDS + config.CLOCK_TOLERANCE_SECONDS) * 1000
  // Until the first catch-up attempt after start has finished, session checks wait for it (bounded
  // by its timeout), so a logout missed while down is refused from the very first request.
  let firstAttempt: Promise<void> | undefined
  let caughtUp = options.catchUp === false

  const tokens = await registerVerification(app, {
    name: options.name,
    mode: config.AUTH_MODE,
    keys: resolveKeySet(config, options.name),
    peers: { [ISSUER_NAME]: bankUrl },
    jwks: { cacheSeconds: config.JWKS_CACHE_SECONDS, refetchCooldownSeconds: config.JWKS_REFETCH_COOLDOWN_SECONDS },
    clockToleranceSeconds: config.CLOCK_TOLERANCE_SECONDS,
    accessCookieName: config.ACCESS_COOKIE_NAME,
    isSessionRevoked: async (sessionId) => {
      if (firstAttempt !== undefined) await firstAttempt
      return store.isRevoked(sessionId)
    },
    pages: { refreshUrl: `${config.BANK_URL.replace(/\/+$/, '')}/api/auth/refresh`, publicUrl: options.publicUrl ?? '' }
  })

  // Tokens accepted under a kid the bank no longer holds are forgotten. Callers fetch the JWKS first
  // (eddsa), once: the trust check when it sees a kid gone, the keys-changed route before verifying.
  function dropWithdrawnKeys (withdrawn: string[]): void {
    const forgotten = tokens.forgetAcceptedTokens((kid) => withdrawn.includes(kid) || !tokens.issuerKeyKnown(kid))
    if (forgotten > 0) app.log.info({ withdrawn, forgotten }, 'tokens accepted under withdrawn keys forgotten')
  }
  const trust = createTrustCheck({
    bankUrl,
    bankSetting: config.BANK_INTERNAL_URL ? 'BANK_INTERNAL_URL' : 'BANK_URL',
    mode: config.AUTH_MODE,
    keySetting: keySettingOf(config),
    refreshIssuerKeys: async () => tokens.refreshIssuerKeys(true),
    issuerKeyKnown: tokens.issuerKeyKnown,
    onKidsWithdrawn: dropWithdrawnKeys,
    log: app.log.child({ component: 'issuer-trust' })
  })
  app.decorate('checkIssuerTrust', trust.check)
  app.decorate('issuerTrustProblems', trust.problems)

  async function denySessions (sessions: RevokedSession[]): Promise<void> {
    const now = clock()
    const denied: DeniedSession[] = sessions.map((session) => ({ ...session, expiresAt: Math.max(now, session.revokedAt) + holdMs }))
    await store.add(denied)
  }
  app.decorate('denySessions', denySessions)

  async function verifyLogoutToken (token: string): Promise<LogoutNotice> {
    if (!isCanonicalCompactJws(token)) throw new AuthInvalidTokenError()
    let payload: unknown
    try {
      payload = await tokens.verifyLogout(token)
    } catch (error) {
      throw (error as { code?: string }).code?.includes('EXPIRED') ? new AuthExpiredTokenError() : new AuthInvalidTokenError()
    }
    // OpenID Connect Back-Channel Logout §2.6: a logout token never carries a nonce.
    if (!checkLogoutClaims.Check(payload) || hasDangerousKeys(payload) || Object.hasOwn(payload, 'nonce')) {
      throw new AuthInvalidTokenError()
    }
    tokens.rejectFutureIat(payload.iat)
    return { sessionId: payload.sid, userId: payload.sub, tokenId: payload.jti, issuedAt: payload.iat }
  }

  // OpenID Connect Back-Channel Logout 1.0 §2.5 in spirit: the bank POSTs a signed logout token as
  // the form field `logout_token`; a valid one puts its session on the deny-list. A token problem is a 401.
  await app.register(async function backchannelLogout (scope) {
    // A service without a form parser of its own (a bare Fastify) still reads the bank's form post.
    if (!scope.hasContentTypeParser('application/x-www-form-urlencoded')) {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 8192 }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)))
      })
    }
    scope.post(INTERNAL_PATHS.backchannelLogout, {
      schema: {
        hide: true,
        body: BackchannelLogoutBody,
        response: { 200: { type: 'object', additionalProperties: false }, 400: ErrorResponse, 401: ErrorResponse }
      } as never
    }, async (request) => {
      const notice = await verifyLogoutToken((request.body as { logout_token: string }).logout_token)
      await denySessions([{ sessionId: notice.sessionId, userId: notice.userId, revokedAt: notice.issuedAt * 1000 }])
      request.log.info({ sessionId: notice.sessionId }, 'session ended by the bank')
      return {}
    })
    registerKeysChangedRoute(scope, {
      refreshIssuerKeys: async () => tokens.refreshIssuerKeys(false),
      verify: tokens.verifyKeysChanged,
      rejectFutureIat: tokens.rejectFutureIat,
      // One notice, one JWKS fetch: the route's, unless its one-a-second bound skipped it.
      onWithdrawn: async (withdrawn, keysFetched) => {
        if (!keysFetched) await tokens.refreshIssuerKeys(true)
        dropWithdrawnKeys(withdrawn)
        await trust.check({ keysFresh: true })
      }
    })
  })

  app.decorate('catchUpRevokedSessions', async function catchUp (): Promise<number> {
    const since = clock() - holdMs
    const token = await app.signServiceToken({ userId: audienceOf(options.name), audience: ISSUER_NAME, scope: SCOPES.sessionsRead })
    const url = new URL(`${INTERNAL_PATHS.revokedSessions}?since=${since}`, bankUrl)
    const response = await fetchWithTimeout(url, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, timeoutMs: 3000 })
    if (!response.ok) throw new Error(`the bank answered ${response.status}`)
    const revoked = await response.json() as RevokedSession[]
    await denySessions(revoked)
    caughtUp = true
    return revoked.length
  })
  app.decorate('revocationsCurrent', () => caughtUp)
  decorateRevocationsGuard(app, () => caughtUp, options.revocationsUnavailableError)

  if (options.catchUp === false) return
  const catchUp = typeof options.catchUp === 'object' ? options.catchUp : {}
  let timer: NodeJS.Timeout | undefined
  let closing = false
  // The bank usually starts beside us: wait for it quietly, and warn once if it stays away.
  const warnAfterMs = catchUp.warnAfterMs ?? 30_000
  let waitingSince: number | undefined
  let warned = false
  const attempt = async (): Promise<boolean> => {
    // The trust check beside every attempt: a mismatch is why a catch-up fails with a 401.
    const checked = trust.check()
    try {
      const [count] = await Promise.all([app.catchUpRevokedSessions(), checked])
      app.log.info({ count }, 'deny-list caught up with the bank')
      waitingSince = undefined
      return true
    } catch (error) {
      await checked
      const now = Date.now()
      waitingSince ??= now
      const reason = (error as Error).message
      if (!warned && now - waitingSince >= warnAfterMs) {
        warned = true
        // Only what is known: the catch-up fails (why is in err); a session the bank ends meanwhile is
        // refused here once its back-channel notice gets through, which the bank reports if it cannot.
        app.log.warn({ err: reason, waitedMs: now - waitingSince, trust: trust.problems() }, 'the deny-list catch-up with the bank keeps failing; still retrying')
      } else {
        app.log.debug({ err: reason }, 'waiting for the bank to catch up the deny-list')
      }
      return false
    }
  }
  const retryLater = (): void => {
    if (closing) return
    timer = setTimeout(() => { void attempt().then((ok) => { if (!ok) retryLater() }) }, catchUp.retryMs ?? 1000)
    timer.unref()
  }
  // After listening, not before: in eddsa mode the bank checks our service token against our JWKS,
  // which it can only fetch once we listen.
  let trustTimer: NodeJS.Timeout | undefined
  app.addHook('onListen', async () => {
    firstAttempt = attempt().then((ok) => { if (!ok) retryLater() })
    // Between catch-ups too: a key rotation done out of order at the bank shows within this period.
    trustTimer = setInterval(() => { void trust.check() }, options.trustCheckMs ?? 30_000)
    trustTimer.unref()
  })
  app.addHook('preClose', async () => {
    closing = true
    clearTimeout(timer)
    clearInterval(trustTimer)
  })
}

/** The setting this party's keys come from, for a message that says what to change. */
function keySettingOf (config: RelyingPartyConfig): string {
  if (config.AUTH_MODE === 'eddsa') return 'JWT_KEYS_FILE'
  if (config.JWT_SECRETS) return 'JWT_SECRETS'
  if (config.JWT_KEYS_FILE) return 'JWT_KEYS_FILE'
  return config.JWT_SECRET_FILE ? 'JWT_SECRET_FILE' : 'JWT_SECRET (or JWT_SECRETS)'
}

export const relyingParty = fp(relyingPartyPlugin, { name: '@nestegg/shared-auth', fastify: '5.x' })
