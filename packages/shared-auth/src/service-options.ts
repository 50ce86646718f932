import { Type, type Static } from 'typebox'
import type { ServiceName } from './claims.js'
import { AuthConfigProperties } from './config.js'
import { type KeySource, resolveKeySet } from './key-config.js'
import type { SharedAuthOptions } from './plugin.js'

const AuthConfigSchema = Type.Object(AuthConfigProperties)
export type AuthConfig = Static<typeof AuthConfigSchema> & { NODE_ENV?: string | undefined }

export interface ServiceUrls {
  /** This service's public URL (cookies are Secure when it is https). */
  publicUrl: string
  /** Where this service reaches each other party server-to-server (its JWKS lives there in eddsa mode). */
  peers: Partial<Record<ServiceName, string>>
}

export const JWKS_PATH = '/.well-known/jwks.json'

/** shared-auth options from a service's validated configuration. */
export function authOptionsFromConfig (config: AuthConfig, service: ServiceName, urls: ServiceUrls): SharedAuthOptions {
  const peerJwks: Partial<Record<ServiceName, string>> = {}
  for (const [name, url] of Object.entries(urls.peers) as Array<[ServiceName, string]>) {
    peerJwks[name] = new URL(JWKS_PATH, url).toString()
  }
  return {
    keys: resolveKeySet(config as KeySource, service),
    mode: config.AUTH_MODE,
    peerJwks,
    jwks: { cacheSeconds: config.JWKS_CACHE_SECONDS, refetchCooldownSeconds: config.JWKS_REFETCH_COOLDOWN_SECONDS },
    service,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    clockToleranceSeconds: config.CLOCK_TOLERANCE_SECONDS,
    cookie: {
      name: config.ACCESS_COOKIE_NAME,
      refreshName: config.REFRESH_COOKIE_NAME,
      secure: urls.publicUrl.startsWith('https:'),
      domain: config.COOKIE_DOMAIN
    }
  }
}
