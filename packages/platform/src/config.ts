import envSchema from 'env-schema'
import { Type, type TObject, type TProperties, type Static } from 'typebox'

/** Variables every service reads. A service adds its own and passes the whole to loadConfig. */
export function baseConfigProperties (defaults: { port: number }) {
  return {
    NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
      default: 'development'
    }),
    PORT: Type.Integer({ minimum: 0, maximum: 65535, default: defaults.port }),
    HOST: Type.String({ minLength: 1, default: '127.0.0.1' }),
    DATABASE_URL: Type.Optional(Type.String({ pattern: '^(sqlite:|postgres://|postgresql://)' })),
    BANK_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:3000' }),
    RETIREMENT_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:3001' }),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info' }
    ),
    TRUST_PROXY: Type.Optional(Type.String({ description: 'Fastify trustProxy: true, a hop count, or addresses' }))
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/**
 * Validates the environment once, against one schema, and names the variable at fault.
 * The returned type is derived from the schema, never written by hand.
 */
export function loadConfig<T extends TObject<TProperties>> (
  schema: T,
  env: Record<string, string | undefined> = process.env
): Static<T> {
  try {
    return envSchema<Static<T>>({ schema: structuredClone(schema) as never, data: { ...env }, env: false, dotenv: false })
  } catch (error) {
    const message = (error as Error).message
      .replace(/^env\/?/, '')
      .replace(/^env must/, 'must')
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
}
