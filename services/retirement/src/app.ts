import { createFastify, healthRoutes, pingDatabase, securityPlugin } from '@nestegg/platform'
import type { FastifyInstance, FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import { migrations } from './db/migrations/index.js'
import { planServicePlugin } from './domain/plans/plan-service.js'
import { authOptions, sharedAuthPlugin } from './plugins/auth.js'
import { DEFAULT_SQLITE_FILE, databasePlugin } from './plugins/database.js'
import { meRoutes } from './routes/api/me.js'
import { planRoutes } from './routes/api/plans.js'

export interface BuildOptions {
  /** Overrides the logger (tests pass false, or a stream to capture lines). */
  logger?: FastifyServerOptions['logger']
}

/** The retirement service, assembled but not listening: server.ts listens, tests inject. */
export async function buildApp (config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await createFastify({
    logLevel: config.LOG_LEVEL,
    pretty: config.NODE_ENV === 'development',
    trustProxy: config.TRUST_PROXY,
    logger: options.logger
  })

  // Infrastructure, in dependency order.
  await app.register(sharedAuthPlugin, authOptions(config))
  await app.register(securityPlugin, {
    allowedOrigins: [config.RETIREMENT_URL, config.BANK_URL],
    csrfCookieName: 'nestegg_retirement_csrf',
    secureCookies: config.RETIREMENT_URL.startsWith('https:')
  })
  await app.register(databasePlugin, { url: config.DATABASE_URL, defaultSqliteFile: DEFAULT_SQLITE_FILE, migrations })

  // Domain services.
  await app.register(planServicePlugin)

  // Routes.
  await app.register(healthRoutes, { ready: () => pingDatabase(app.database) })
  await app.register(meRoutes, { prefix: '/api' })
  await app.register(planRoutes, { prefix: '/api' })
  return app
}
