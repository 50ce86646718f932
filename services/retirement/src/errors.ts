import { codedError, idempotencyErrors } from '@nestegg/platform'

export const PlanNotFoundError = codedError('RET_PLAN_NOT_FOUND', 'Plan not found', 404)
export const ContributionNotFoundError = codedError('RET_CONTRIBUTION_NOT_FOUND', 'Contribution not found', 404)
export const UnknownPlanTypeError = codedError('RET_UNKNOWN_PLAN_TYPE', 'Unknown plan type %s; choose one of %s', 400)
export const AnnualLimitError = codedError('RET_ANNUAL_LIMIT_EXCEEDED', '%s', 409)
// Worded once in platform for both services; the codes keep retirement's prefix.
const idempotency = idempotencyErrors('RET')
export const IdempotencyKeyMissingError = idempotency.KeyRequired
export const IdempotencyKeyReusedError = idempotency.KeyReused
export const IdempotencyKeyInFlightError = idempotency.KeyInFlight
export const RevocationsUnavailableError = codedError(
  'RET_REVOCATIONS_UNAVAILABLE',
  'Sign-outs cannot be checked with the bank yet, so no money can move right now; try again shortly',
  503
)
export const InvalidAmountError = codedError('RET_INVALID_AMOUNT', '%s', 400)
