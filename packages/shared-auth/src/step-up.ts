import { codedError, withHeaders } from '@nestegg/platform'
import type { FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import { type AcrLevel, acrSatisfies } from './authentication.js'
import { AuthMissingTokenError } from './errors.js'

/** What a route asks of the sign-in behind a request: at least this level, at most this old. */
export interface StepUpRequirement {
  acr: AcrLevel
  maxAgeSeconds: number
}

const StepUpError = codedError('STEP_UP_REQUIRED', 'A fresh sign-in at level %s within %s seconds is required', 401)

/**
 * RFC 9470 §3: the challenge names the level and the age the resource wants, so that a client knows
 * what to ask the bank for. The error carries it as a header; the services' error handler sets it.
 */
export function stepUpChallenge (requirement: StepUpRequirement): string {
  return `Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is required", acr_values="${requirement.acr}", max_age=${requirement.maxAgeSeconds}`
}

export function stepUpRequiredError (requirement: StepUpRequirement): Error & { headers: Record<string, string>, requirement: StepUpRequirement } {
  const error = withHeaders(new StepUpError(requirement.acr, String(requirement.maxAgeSeconds)), { 'www-authenticate': stepUpChallenge(requirement) })
  return Object.assign(error, { requirement })
}

/** True when the error is the step-up challenge (a page turns it into a redirect to the bank). */
export function isStepUpRequired (error: unknown): error is ReturnType<typeof stepUpRequiredError> {
  return (error as { code?: string } | null)?.code === 'STEP_UP_REQUIRED' && typeof (error as { requirement?: unknown }).requirement === 'object'
}

/** Whether the sign-in behind an authenticated request meets the requirement now. */
export function meetsStepUp (request: FastifyRequest, requirement: StepUpRequirement, nowMs = Date.now()): boolean {
  const user = request.user
  const ageSeconds = Math.floor(nowMs / 1000) - user.authTime
  return acrSatisfies(user.acr, requirement.acr) && ageSeconds <= requirement.maxAgeSeconds
}

/**
 * For routes whose need depends on the body (an amount, a payee): throws the 401 step-up error
 * unless the request's sign-in meets the requirement. Call it after `authenticate`.
 */
export function checkStepUp (request: FastifyRequest, requirement: StepUpRequirement): void {
  if (request.authSession === null || request.user === undefined) throw new AuthMissingTokenError()
  if (!meetsStepUp(request, requirement)) throw stepUpRequiredError(requirement)
}

/** A hook (onRequest or preHandler, after `app.authenticate`) that demands a fresh enough sign-in. */
export function requireStepUp (requirement: StepUpRequirement): onRequestAsyncHookHandler {
  if (!Number.isInteger(requirement.maxAgeSeconds) || requirement.maxAgeSeconds < 0) {
    throw new TypeError('requireStepUp needs maxAgeSeconds, a whole number of seconds (0 or more)')
  }
  return async function stepUpGuard (request) {
    checkStepUp(request, requirement)
  }
}

/** The bank's step-up page for this requirement, coming back to `returnTo` once met. */
export function stepUpPageUrl (bankUrl: string, requirement: StepUpRequirement, returnTo: string): string {
  const query = new URLSearchParams({ return_to: returnTo, acr: requirement.acr, max_age: String(requirement.maxAgeSeconds) })
  return `${bankUrl.replace(/\/+$/, '')}/step-up?${query.toString()}`
}
