import { ConfigError, baseConfigProperties, loadConfig } from '@nestegg/platform'
import { AuthConfigProperties, IssuerConfigProperties, StepUpConfigProperties } from '@nestegg/shared-auth'
import { Type, type Static } from 'typebox'
import { webAuthnSettings } from './domain/passkeys/webauthn-settings.js'

export const ConfigSchema = Type.Object({
  ...baseConfigProperties({ port: 3000 }),
  ...AuthConfigProperties,
  ...IssuerConfigProperties,
  RETIREMENT_INTERNAL_URL: Type.Optional(Type.String({
    pattern: '^https?://',
    description: 'Where the bank reaches retirement server-to-server (the default RELYING_PARTIES); defaults to RETIREMENT_URL'
  })),
  SESSION_IDLE_TIMEOUT_SECONDS: Type.Integer({ minimum: 60, maximum: 30 * 86400, default: 1800, description: 'A session unused (not refreshed) this long ends' }),
  SESSION_MAX_LIFETIME_SECONDS: Type.Integer({ minimum: 300, maximum: 90 * 86400, default: 43200, description: 'A session ends this long after login, used or not' }),
  REFRESH_REUSE_GRACE_SECONDS: Type.Integer({ minimum: 0, maximum: 60, default: 10, description: 'A just-rotated refresh token may come back this long (a lost response)' }),
  SEED_DEMO_USERS: Type.Optional(Type.Boolean({ description: 'Seed alice and bob; default on outside production' })),
  WELCOME_DEPOSIT_CENTS: Type.Integer({
    minimum: 0,
    maximum: 100_000_000,
    default: 100_000,
    description: 'Cents booked from the bank funding account into each new checking account'
  }),
  AUTH_RATE_LIMIT_PER_MINUTE: Type.Integer({
    minimum: 1,
    default: 30,
    description: 'Requests per minute from one IP address to each /api/auth route'
  }),
  WEBAUTHN_RP_ID: Type.Optional(Type.String({
    minLength: 1,
    maxLength: 253,
    pattern: '^[A-Za-z0-9.-]+$',
    description: 'The passkeys\' relying party ID: the host of WEBAUTHN_ORIGIN or a domain above it; defaults to the host of BANK_URL'
  })),
  WEBAUTHN_ORIGIN: Type.Optional(Type.String({
    pattern: '^https?://[^/]+/?$',
    description: 'The exact origin the bank\'s pages run at, which passkey answers must name; defaults to the origin of BANK_URL'
  })),
  ...StepUpConfigProperties,
  STEP_UP_TRANSFER_ABOVE_CENTS: Type.Integer({
    minimum: 0,
    maximum: 100_000_000,
    default: 100_000,
    description: 'A transfer to another customer above this many cents needs a step-up'
  }),
  STEP_UP_NEW_PAYEE: Type.Boolean({ default: true, description: 'A transfer to another customer this customer never paid before needs a step-up' }),
  STEP_UP_PASSWORD_CHANGE: Type.Boolean({ default: true, description: 'Changing the password needs a step-up' }),
  STEP_UP_PASSKEY_REMOVAL: Type.Boolean({ default: true, description: 'Removing a passkey needs a step-up' }),
  SECURITY_EVENTS_RETENTION_DAYS: Type.Integer({
    minimum: 90,
    maximum: 3650,
    default: 400,
    description: 'Security activity older than this is purged (the table refuses deleting anything younger than 90 days)'
  }),
  AUTH_RATE_LIMIT_STORE: Type.Union([Type.Literal('memory'), Type.Literal('database')], {
    default: 'memory',
    description: 'Where the per-IP counters live: this process, or the database shared by every copy'
  })
})

export type Config = Static<typeof ConfigSchema>

export function loadBankConfig (env: Record<string, string | undefined> = process.env): Config {
  const config = loadConfig(ConfigSchema, env)
  try {
    webAuthnSettings(config)
  } catch (error) {
    // A pair browsers would refuse stops start-up here, like any other bad value.
    throw new ConfigError(`Invalid configuration: ${(error as Error).message}`)
  }
  return config
}
