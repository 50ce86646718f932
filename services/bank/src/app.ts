import { createFastify, healthRoutes, idempotencyGatePlugin, openApiPlugin, pingDatabase, securityPlugin } from '@nestegg/platform'
import { issuer } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { migrations } from './db/migrations/index.js'
import { IdempotencyKeyInFlightError } from './errors.js'
import { passkeysPlugin } from './domain/passkeys/passkeys-plugin.js'
import { webAuthnSettings } from './domain/passkeys/webauthn-settings.js'
import { sessionsPlugin } from './domain/sessions/sessions-plugin.js'
import { securityRetentionPlugin } from './domain/security/security-retention.js'
import { stepUpRulesPlugin } from './domain/security/step-up-rules.js'
import { accountServicePlugin } from './domain/accounts/account-service.js'
import { transferServicePlugin } from './domain/ledger/transfer-service.js'
import { seedDemoUsers } from './domain/users/demo-users.js'
import { userServicePlugin } from './domain/users/user-service.js'
import { logoutOutboxStore } from './domain/sessions/logout-outbox-store.js'
import { relyingPartiesFrom } from './plugins/auth.js'
import { authRateLimitOptions, rateLimit } from './plugins/auth-rate-limit.js'
import { DEFAULT_SQLITE_FILE, databasePlugin } from './plugins/database.js'
import { renderErrorPage } from '@nestegg/web-kit'
import { viewsPlugin } from './plugins/views.js'
import { accountRoutes } from './routes/api/accounts.js'
import { authRoutes } from './routes/api/auth.js'
import { meRoutes } from './routes/api/me.js'
import { passkeyAuthRoutes } from './routes/api/passkey-auth.js'
import { passkeyRoutes } from './routes/api/passkeys.js'
import { refreshRoutes } from './routes/api/refresh.js'
import { sessionAuthRoutes, sessionRoutes } from './routes/api/sessions.js'
import { stepUpRoutes } from './routes/api/step-up.js'
import { transferRoutes } from './routes/api/transfers.js'
import { internalRoutes } from './routes/internal/contributions.js'
import { accountPages } from './routes/pages/account-pages.js'
import { authPages } from './routes/pages/auth-pages.js'
import { sessionPages } from './routes/pages/session-pages.js'
import { passkeyAssets } from './routes/pages/passkey-assets.js'
import { recoveryLoginPage } from './routes/pages/recovery-login-page.js'
import { securityPage } from './routes/pages/security-page.js'
import { securityPages } from './routes/pages/security-pages.js'
import { settingsPage } from './routes/pages/settings-page.js'
import { stepUpPage } from './routes/pages/step-up-page.js'
import { transferPage } from './routes/pages/transfer-page.js'

export interface BuildOptions {
  /** Overrides the logger (tests pass false, or a stream to capture lines). */
  logger?: FastifyServerOptions['logger']
  /** Bounded argon2 concurrency; see password-hasher.ts. */
  hashConcurrency?: number
  /** Injected clock (ms since the epoch) for session lifetimes; tests move it instead of sleeping. */
  clock?: () => number
  /** Run the back-channel logout sender (default true; tests drive it with app.logoutNotices.runOnce). */
  backchannel?: boolean
  /** Run the security activity's retention purge (default true; tests call app.securityRetention.runOnce). */
  securityRetention?: boolean
}

/** The bank, assembled but not listening: server.ts listens, tests inject. */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await createFastify({
    logLevel: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development',
    trustProxy: config.TRUST_PROXY,
    logger: options.logger,
    errors: { renderPage: renderErrorPage }
  })

  // Infrastructure, in dependency order (OpenAPI first: it sees every route registered after it,
  // GET /api/csrf-token included).
  await app.register(openApiPlugin, {
    title: 'Nestegg Bank API',
    description: 'Accounts, a double-entry ledger and idempotent transfers. Money is integer cents. ' +
      'Cookie-authenticated state changes need an x-csrf-token (GET /api/csrf-token) and a same-site Origin; ' +
      'Bearer requests need neither. Service-to-service routes under /internal are not part of this document (see the README).',
    publicUrl: config.BANK_URL,
    accessCookieName: config.ACCESS_COOKIE_NAME
  })
  await app.register(securityPlugin, {
    allowedOrigins: [config.BANK_URL, config.RETIREMENT_URL],
    csrfCookieName: 'nestegg_bank_csrf',
    secureCookies: config.BANK_URL.startsWith('https:')
  })
  await app.register(databasePlugin, {
    url: config.DATABASE_URL,
    defaultSqliteFile: DEFAULT_SQLITE_FILE,
    migrations,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY
  })
  const clock = options.clock ?? Date.now
  await app.register(issuer, {
    config,
    parties: relyingPartiesFrom(config),
    publicUrl: config.BANK_URL,
    // Access tokens of an ended session stop working: the bank asks its own sessions table (at once
    // when this copy ended it, within SESSION_RECHECK_MS when another copy did).
    isSessionRevoked: (sessionId) => app.sessions.isRevoked(sessionId),
    revokedSince: (since) => app.sessions.revokedSince(since),
    logoutOutbox: logoutOutboxStore(app.database.db),
    logoutDelivery: { autoStart: options.backchannel ?? true, clock }
  })
  await app.register(viewsPlugin, { production: config.NODE_ENV === 'production', retirementUrl: config.RETIREMENT_URL })

  // Domain services.
  await app.register(accountServicePlugin, { welcomeDepositCents: config.WELCOME_DEPOSIT_CENTS })
  await app.register(transferServicePlugin)
  // One gate for the transfer API and the transfer form (not the internal debit: see its route).
  await app.register(idempotencyGatePlugin, { inFlight: () => new IdempotencyKeyInFlightError() })
  await app.register(userServicePlugin, { hashConcurrency: options.hashConcurrency, now: options.clock })
  await app.register(sessionsPlugin, {
    policy: {
      idleTimeoutSeconds: config.SESSION_IDLE_TIMEOUT_SECONDS,
      maxLifetimeSeconds: config.SESSION_MAX_LIFETIME_SECONDS,
      reuseGraceSeconds: config.REFRESH_REUSE_GRACE_SECONDS,
      denyForSeconds: config.ACCESS_TOKEN_TTL_SECONDS + config.CLOCK_TOLERANCE_SECONDS
    },
    clock
  })
  await app.register(passkeysPlugin, { settings: webAuthnSettings(config), clock })
  await app.register(stepUpRulesPlugin, { config })
  await app.register(securityRetentionPlugin, {
    retentionDays: config.SECURITY_EVENTS_RETENTION_DAYS,
    autoStart: options.securityRetention ?? true,
    clock
  })

  // Routes.
  // Ready while a party cannot receive logouts (the bank still serves), but /readyz says which and why.
  await app.register(healthRoutes, { ready: () => pingDatabase(app.database), report: () => ({ warnings: app.logoutNotices.problems() }) })
  await app.register(async function authEndpoints (auth) {
    // Registered inside this scope, so the per-IP limit covers these routes and nothing else.
    await auth.register(rateLimit, authRateLimitOptions(config, app.database.db, options.clock))
    await auth.register(authRoutes)
    await auth.register(refreshRoutes, { bankUrl: config.BANK_URL, retirementUrl: config.RETIREMENT_URL })
    await auth.register(sessionAuthRoutes)
    await auth.register(passkeyAuthRoutes)
    await auth.register(stepUpRoutes)
  }, { prefix: '/api/auth' })
  await app.register(sessionRoutes, { prefix: '/api' })
  await app.register(meRoutes, { prefix: '/api' })
  await app.register(passkeyRoutes, { prefix: '/api' })
  await app.register(accountRoutes, { prefix: '/api' })
  await app.register(transferRoutes, { prefix: '/api' })
  // Server-to-server, for the retirement service's service tokens only.
  await app.register(internalRoutes)
  await app.register(async function authPageEndpoints (pages) {
    // The log-in and sign-up forms get the same per-IP limit as the JSON auth routes.
    await pages.register(rateLimit, authRateLimitOptions(config, app.database.db, options.clock))
    await pages.register(authPages, { config })
    await pages.register(recoveryLoginPage, { config })
    await pages.register(stepUpPage, { config })
  })
  await app.register(accountPages)
  await app.register(sessionPages)
  await app.register(transferPage)
  await app.register(settingsPage, { config })
  await app.register(securityPage)
  await app.register(passkeyAssets, { production: config.NODE_ENV === 'production' })
  await app.register(securityPages)

  const seed = config.SEED_DEMO_USERS ?? config.NODE_ENV === 'development'
  if (seed && config.NODE_ENV !== 'production') {
    app.addHook('onReady', async () => seedDemoUsers(app))
  }
  return app
}
