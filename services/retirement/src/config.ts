import { baseConfigProperties, loadConfig } from '@nestegg/platform'
import { AuthConfigProperties } from '@nestegg/shared-auth'
import { Type, type Static } from 'typebox'

export const ConfigSchema = Type.Object({
  ...baseConfigProperties({ port: 3001 }),
  ...AuthConfigProperties,
  BANK_INTERNAL_URL: Type.Optional(Type.String({
    pattern: '^https?://',
    description: 'Where retirement reaches the bank server-to-server; defaults to BANK_URL'
  }))
})

export type Config = Static<typeof ConfigSchema>

export function loadRetirementConfig (env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
