import { baseConfigProperties } from '@nestegg/platform'
import { Type, type Static } from 'typebox'

/**
 * The environment variables that shared-auth reads. Each service spreads these properties into its
 * own config schema, so they are described once.
 */
export const AuthConfigProperties = {
  AUTH_MODE: Type.Union([Type.Literal('hs256'), Type.Literal('eddsa')], {
    default: 'hs256',
    description: 'hs256: one shared HMAC key set; eddsa: each service signs with its own Ed25519 key'
  }),
  JWT_SECRET: Type.Optional(Type.String({ description: 'Common HMAC secret, at least 32 bytes' })),
  JWT_SECRET_FILE: Type.Optional(Type.String({ description: 'Path of a file holding the secret' })),
  JWT_SECRETS: Type.Optional(Type.String({
    description: 'HMAC key set: kid:secret pairs separated by commas; the first signs, all verify'
  })),
  JWT_KEYS_FILE: Type.Optional(Type.String({
    description: 'A JWK Set file: oct keys (hs256) or this service\'s Ed25519 private keys (eddsa); the first signs'
  })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 86400, default: 900 }),
  ACCESS_COOKIE_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'nestegg_access' }),
  REFRESH_COOKIE_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'nestegg_refresh' }),
  COOKIE_DOMAIN: Type.Optional(Type.String({ pattern: '^\\.?[A-Za-z0-9.-]+$' })),
  CLOCK_TOLERANCE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 30 }),
  JWKS_CACHE_SECONDS: Type.Integer({ minimum: 1, maximum: 86400, default: 300 }),
  JWKS_REFETCH_COOLDOWN_SECONDS: Type.Integer({ minimum: 0, maximum: 3600, default: 30 })
}

/** What a relying party reads beyond the keys: where it reaches the bank server-to-server. */
export const RelyingPartyConfigProperties = {
  BANK_INTERNAL_URL: Type.Optional(Type.String({
    pattern: '^https?://',
    description: 'Where this service reaches the bank server-to-server; defaults to BANK_URL'
  }))
}

/** What the issuer reads beyond the keys: the parties it vouches to and tells of each logout. */
export const IssuerConfigProperties = {
  RELYING_PARTIES: Type.Optional(Type.String({
    pattern: '^\\s*[a-z][a-z0-9-]*=https?://',
    description: 'name=internalBaseUrl,... ; defaults to retirement=<RETIREMENT_INTERNAL_URL>'
  }))
}

const { NODE_ENV, BANK_URL } = baseConfigProperties({ port: 0 })

/** Everything `relyingParty` reads from the environment when given no config. */
export const RelyingPartyConfigSchema = Type.Object({
  NODE_ENV,
  BANK_URL,
  ...AuthConfigProperties,
  ...RelyingPartyConfigProperties
})
export type RelyingPartyConfig = Static<typeof RelyingPartyConfigSchema>

export const IssuerConfigSchema = Type.Object({ NODE_ENV, BANK_URL, ...AuthConfigProperties })
export type IssuerConfig = Static<typeof IssuerConfigSchema>

