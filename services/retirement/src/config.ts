import { baseConfigProperties, loadConfig } from '@nestegg/platform'
import { AuthConfigProperties, RelyingPartyConfigProperties, StepUpConfigProperties } from '@nestegg/shared-auth'
import { Type, type Static } from 'typebox'

export const ConfigSchema = Type.Object({
  ...baseConfigProperties({ port: 3001 }),
  ...AuthConfigProperties,
  ...RelyingPartyConfigProperties,
  ...StepUpConfigProperties,
  STEP_UP_CONTRIBUTION_ABOVE_CENTS: Type.Integer({
    minimum: 0,
    maximum: 100_000_000,
    default: 500_000,
    description: 'A contribution above this many cents needs a fresh sign-in at the bank (a step-up)'
  }),
  BANK_TIMEOUT_MS: Type.Integer({ minimum: 100, maximum: 60000, default: 5000, description: 'Per call to the bank' }),
  CONTRIBUTION_WORKER_INTERVAL_MS: Type.Integer({
    minimum: 0,
    maximum: 600000,
    default: 1000,
    description: 'How often the worker looks for pending contributions; 0 disables it'
  }),
  CONTRIBUTION_RETRY_BASE_MS: Type.Integer({ minimum: 10, maximum: 600000, default: 1000, description: 'First retry delay; doubles each attempt' }),
  CONTRIBUTION_RETRY_MAX_MS: Type.Integer({ minimum: 10, maximum: 3600000, default: 60000, description: 'Longest retry delay' })
})

export type Config = Static<typeof ConfigSchema>

export function loadRetirementConfig (env: Record<string, string | undefined> = process.env): Config {
  return loadConfig(ConfigSchema, env)
}
