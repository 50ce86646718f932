import { baseConfigProperties, loadConfig } from '@nestegg/platform'
import { AuthConfigProperties } from '@nestegg/shared-auth'
import { Type, type Static } from 'typebox'

export const ConfigSchema = Type.Object({
  ...baseConfigProperties({ port: 3000 }),
  ...AuthConfigProperties,
  RETIREMENT_INTERNAL_URL: Type.Optional(Type.String({
    pattern: '^https?://',
    description: 'Where the bank reaches retirement server-to-server; defaults to RETIREMENT_URL'
  })),
  SEED_DEMO_USERS: Type.Optional(Type.Boolean({ description: 'Seed alice and bob; default on outside production' }))
})

export type Config = Static<typeof ConfigSchema>

export function loadBankConfig (env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
