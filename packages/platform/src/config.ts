import { readFileSync } from 'node:fs'
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
    DATABASE_PASSWORD_FILE: Type.Optional(Type.String({ minLength: 1, description: 'File holding the password for a postgres:// DATABASE_URL' })),
    BANK_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:3000' }),
    RETIREMENT_URL: Type.String({ pattern: '^https?://', default: 'http://localhost:3001' }),
    LOG_LEVEL: Type.Union(
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
      { default: 'info' }
    ),
    SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY: Type.Union([Type.Literal('full'), Type.Literal('normal')], {
      default: 'full',
      description: "SQLite's synchronous setting. 'normal' answers commits before they are synced: a power loss can lose acknowledged money"
    }),
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
  let config: Static<T>
  try {
    config = envSchema<Static<T>>({ schema: structuredClone(schema) as never, data: { ...env }, env: false, dotenv: false })
  } catch (error) {
    const message = (error as Error).message
      .replace(/^env\/?/, '')
      .replace(/^env must/, 'must')
    throw new ConfigError(`Invalid configuration: ${message}`)
  }
  insertDatabasePassword(config as DatabaseSettings)
  return config
}

interface DatabaseSettings { DATABASE_URL?: string | undefined, DATABASE_PASSWORD_FILE?: string | undefined }

/**
 * DATABASE_PASSWORD_FILE keeps the password out of the environment (Docker secrets, as
 * docker-compose.yml does): it is read once here and put into the postgres:// DATABASE_URL.
 */
function insertDatabasePassword (config: DatabaseSettings): void {
  const file = config.DATABASE_PASSWORD_FILE
  if (file === undefined) return
  const url = config.DATABASE_URL ?? ''
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new ConfigError('Invalid configuration: DATABASE_PASSWORD_FILE needs a postgres:// DATABASE_URL')
  }
  let password: string
  try {
    password = readFileSync(file, 'utf8').trim()
  } catch (error) {
    throw new ConfigError(`Invalid configuration: DATABASE_PASSWORD_FILE (${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`)
  }
  if (password === '') throw new ConfigError(`Invalid configuration: DATABASE_PASSWORD_FILE (${file}) is empty`)
  const parsed = new URL(url)
  if (parsed.password !== '') throw new ConfigError('Invalid configuration: DATABASE_URL has a password and DATABASE_PASSWORD_FILE is set: use one')
  parsed.password = password
  config.DATABASE_URL = parsed.toString()
}
