import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit'
import { databaseRateLimitStore } from '@nestegg/platform'
import type { Kysely } from 'kysely'
import type { BankDatabase } from '../db/schema.js'
import type { Config } from '../config.js'
import { TooManyRequestsError } from '../errors.js'

/**
 * Per-IP limits on the auth endpoints, each route counted on its own. The limit runs after a
 * route's own onRequest hooks: on a route that needs a signed-in caller (password change, log out
 * everywhere) a request without a valid token is refused by `authenticate` first and not counted.
 * `request.ip` honours TRUST_PROXY, so behind a reverse proxy the client's address is used, and
 * without one a forged X-Forwarded-For changes nothing. The counters live in process memory by default; with several
 * copies of the bank, AUTH_RATE_LIMIT_STORE=database keeps them in the shared database.
 */
export function authRateLimitOptions (config: Config, db: Kysely<BankDatabase>, now?: () => number): RateLimitPluginOptions {
  return {
    ...(config.AUTH_RATE_LIMIT_STORE === 'database' ? { store: databaseRateLimitStore(db, now === undefined ? {} : { clock: now }) } : {}),
    global: true,
    max: config.AUTH_RATE_LIMIT_PER_MINUTE,
    timeWindow: 60_000,
    // One budget per route (method and path) and address: renewing a session does not use up the
    // login budget, nor the refresh page's redirect (GET) the JSON renewal's (POST).
    keyGenerator: (request) => `${request.method} ${request.routeOptions.url ?? ''} ${request.ip}`,
    errorResponseBuilder: (_request, context) => new TooManyRequestsError(context.after)
  }
}

export { rateLimit }
