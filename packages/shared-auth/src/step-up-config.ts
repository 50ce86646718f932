import { Type } from 'typebox'
import { ACR_PASSKEY, ACR_PASSWORD, type AcrLevel } from './authentication.js'
import type { StepUpRequirement } from './step-up.js'

/**
 * What a fresh enough sign-in means for every step-up rule of a service. The default is a password
 * re-entered within five minutes, so a customer without a passkey can still move money; a deployment
 * that has enrolled everyone can demand `nestegg:passkey` (docs/security.md).
 */
export const StepUpConfigProperties = {
  STEP_UP_ACR: Type.Union([Type.Literal(ACR_PASSWORD), Type.Literal(ACR_PASSKEY)], {
    default: ACR_PASSWORD,
    description: 'The sign-in level a step-up rule demands: nestegg:pwd (a password or a passkey) or nestegg:passkey'
  }),
  STEP_UP_MAX_AGE_SECONDS: Type.Integer({
    minimum: 30,
    maximum: 3600,
    default: 300,
    description: 'A step-up rule is met by a sign-in at most this many seconds old'
  })
}

export function stepUpRequirementFrom (config: { STEP_UP_ACR: AcrLevel, STEP_UP_MAX_AGE_SECONDS: number }): StepUpRequirement {
  return { acr: config.STEP_UP_ACR, maxAgeSeconds: config.STEP_UP_MAX_AGE_SECONDS }
}
