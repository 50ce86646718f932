import { resolveJwtSecret, sharedAuthPlugin, type SharedAuthOptions } from '@nestegg/shared-auth'
import type { Config } from '../config.js'

/** shared-auth options for the bank, the one service that issues user tokens. */
export function authOptions (config: Config): SharedAuthOptions {
  return {
    secret: resolveJwtSecret(config),
    service: 'bank',
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: config.CLOCK_TOLERANCE_SECONDS,
    cookie: {
      name: config.ACCESS_COOKIE_NAME,
      secure: config.BANK_URL.startsWith('https:'),
      domain: config.COOKIE_DOMAIN
    }
  }
}

export { sharedAuthPlugin }
