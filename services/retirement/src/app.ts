import { createFastify, healthRoutes, idempotencyGatePlugin, openApiPlugin, pingDatabase, securityPlugin } from '@nestegg/platform'
import { relyingParty } from '@nestegg/shared-auth'
import { renderErrorPage } from '@nestegg/web-kit'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { migrations } from './db/migrations/index.js'
import { IdempotencyKeyInFlightError } from './errors.js'
import { revocationsGuardPlugin } from './domain/sessions/revocations-guard.js'
import type { BankClient } from './domain/bank/bank-client.js'
import { createHttpBankClient } from './domain/bank/http-bank-client.js'
import { type Clock, systemClock } from './domain/clock.js'
import { contributionsPlugin } from './domain/contributions/contributions-plugin.js'
import { planServicePlugin } from './domain/plans/plan-service.js'
import { databaseDenyList } from './domain/sessions/deny-list.js'
import { DEFAULT_SQLITE_FILE, databasePlugin } from './plugins/database.js'
import { pagesPlugin } from './plugins/pages.js'
import { contributionRoutes } from './routes/api/contributions.js'
import { contributionStepUpPlugin } from './domain/contributions/contribution-step-up.js'
import { meRoutes } from './routes/api/me.js'
import { planRoutes } from './routes/api/plans.js'
import { pageRoutes } from './routes/pages/index.js'

export interface BuildOptions {
  /** Overrides the logger (tests pass false, or a stream to capture lines). */
  logger?: FastifyServerOptions['logger']
  /** Tests move time instead of waiting for it. */
  clock?: Clock
  /** Replaces the HTTP client for the bank (unit tests); by default BANK_INTERNAL_URL over HTTP. */
  bankClient?: BankClient
  /**
   * Ask the bank for sessions ended while down, on listening (default true; tests without a bank
   * turn it off, or shorten its retry and warning delays).
   */
  catchUp?: boolean | { retryMs?: number, warnAfterMs?: number }
}

/** The retirement service, assembled but not listening: server.ts listens, tests inject. */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const clock = options.clock ?? systemClock
  const app = await createFastify({
    logLevel: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development',
    trustProxy: config.TRUST_PROXY,
    logger: options.logger,
    errors: { renderPage: renderErrorPage }
  })

  // Infrastructure, in dependency order (OpenAPI first: it collects every route registered after it).
  await app.register(openApiPlugin, {
    title: 'Nestegg Retirement API',
    description: 'Retirement plans, projections and contributions from bank accounts. ' +
      'Sign in at the bank: its access token (Bearer header or the shared cookie) works here too. ' +
      'Cookie-authenticated state changes need an x-csrf-token (GET /api/csrf-token) and a same-site Origin. ' +
      'Service-to-service routes under /internal are not part of this document (see the README).',
    publicUrl: config.RETIREMENT_URL,
    accessCookieName: config.ACCESS_COOKIE_NAME
  })
  await app.register(securityPlugin, {
    allowedOrigins: [config.RETIREMENT_URL, config.BANK_URL],
    csrfCookieName: 'nestegg_retirement_csrf',
    secureCookies: config.RETIREMENT_URL.startsWith('https:')
  })
  await app.register(databasePlugin, {
    url: config.DATABASE_URL,
    defaultSqliteFile: DEFAULT_SQLITE_FILE,
    migrations,
    sqliteSynchronous: config.SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY
  })
  // A relying party like any other; a session the bank has ended is refused here from retirement's
  // own deny-list, kept in its database.
  await app.register(relyingParty, {
    name: 'retirement',
    config,
    denyList: databaseDenyList(app.database.db, { clock }),
    catchUp: options.catchUp ?? true,
    publicUrl: config.RETIREMENT_URL,
    clock
  })
  await app.register(revocationsGuardPlugin)
  await app.register(pagesPlugin, { bankUrl: config.BANK_URL, retirementUrl: config.RETIREMENT_URL, production: config.NODE_ENV === 'production' })

  // Domain services.
  await app.register(planServicePlugin, { clock })
  await app.register(contributionsPlugin, {
    bank: options.bankClient ?? createHttpBankClient({
      baseUrl: config.BANK_INTERNAL_URL ?? config.BANK_URL,
      timeoutMs: config.BANK_TIMEOUT_MS,
      signServiceToken: (request) => app.signServiceToken(request)
    }),
    clock,
    retry: {
      baseMs: config.CONTRIBUTION_RETRY_BASE_MS,
      maxMs: config.CONTRIBUTION_RETRY_MAX_MS,
      leaseMs: config.BANK_TIMEOUT_MS + 1000
    },
    workerIntervalMs: config.CONTRIBUTION_WORKER_INTERVAL_MS
  })
  // One gate for the contribution API and the contribute form.
  await app.register(idempotencyGatePlugin, { inFlight: () => new IdempotencyKeyInFlightError() })

  await app.register(contributionStepUpPlugin, { config })

  // Routes.
  // Not ready while its setup cannot trust the bank's tokens (mode, keys): every customer would get a 401.
  await app.register(healthRoutes, { ready: () => pingDatabase(app.database), report: () => ({ problems: app.issuerTrustProblems() }) })
  await app.register(meRoutes, { prefix: '/api' })
  await app.register(planRoutes, { prefix: '/api' })
  await app.register(contributionRoutes, { prefix: '/api' })
  await app.register(pageRoutes, { bankUrl: config.BANK_URL, retirementUrl: config.RETIREMENT_URL })
  return app
}
