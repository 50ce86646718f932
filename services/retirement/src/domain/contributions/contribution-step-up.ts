import { type StepUpRequirement, checkStepUp, stepUpRequirementFrom } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../../config.js'

export interface ContributionStepUp {
  /** A contribution above this many cents needs a fresh sign-in. */
  aboveCents: number
  requirement: StepUpRequirement
  /** Throws the RFC 9470 401 when this amount needs a step-up the request's sign-in does not meet. */
  check: (request: FastifyRequest, amountCents: number) => void
}

declare module 'fastify' {
  interface FastifyInstance {
    contributionStepUp: ContributionStepUp
  }
}

/** Retirement's step-up rule (docs/security.md): a large contribution needs a fresh sign-in at the bank. */
export const contributionStepUpPlugin = fp(async function contributionStepUp (app: FastifyInstance, options: { config: Config }) {
  const aboveCents = options.config.STEP_UP_CONTRIBUTION_ABOVE_CENTS
  const requirement = stepUpRequirementFrom(options.config)
  app.decorate('contributionStepUp', {
    aboveCents,
    requirement,
    check (request: FastifyRequest, amountCents: number) {
      if (amountCents > aboveCents) checkStepUp(request, requirement)
    }
  })
}, { name: 'retirement-contribution-step-up' })
