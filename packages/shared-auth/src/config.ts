import { Type } from 'typebox'

/**
 * The environment variables that shared-auth reads. Each service spreads these properties into its
 * own config schema, so they are described once.
 */
export const AuthConfigProperties = {
  JWT_SECRET: Type.Optional(Type.String({ description: 'Common HMAC secret, at least 32 bytes' })),
  JWT_SECRET_FILE: Type.Optional(Type.String({ description: 'Path of a file holding the secret' })),
  ACCESS_TOKEN_TTL_SECONDS: Type.Integer({ minimum: 30, maximum: 86400, default: 900 }),
  ACCESS_COOKIE_NAME: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', default: 'nestegg_access' }),
  COOKIE_DOMAIN: Type.Optional(Type.String({ pattern: '^\\.?[A-Za-z0-9.-]+$' })),
  CLOCK_TOLERANCE_SECONDS: Type.Integer({ minimum: 0, maximum: 300, default: 30 })
}
