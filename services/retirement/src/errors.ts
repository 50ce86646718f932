import { codedError } from '@nestegg/platform'

export const PlanNotFoundError = codedError('RET_PLAN_NOT_FOUND', 'Plan not found', 404)
export const ContributionNotFoundError = codedError('RET_CONTRIBUTION_NOT_FOUND', 'Contribution not found', 404)
export const UnknownPlanTypeError = codedError('RET_UNKNOWN_PLAN_TYPE', 'Unknown plan type %s; choose one of %s', 400)
export const AnnualLimitError = codedError('RET_ANNUAL_LIMIT_EXCEEDED', '%s', 409)
export const IdempotencyKeyMissingError = codedError(
  'RET_IDEMPOTENCY_KEY_REQUIRED',
  'An Idempotency-Key header (1 to 128 printable ASCII characters, no spaces) is required',
  400
)
export const IdempotencyMismatchError = codedError(
  'RET_IDEMPOTENCY_KEY_REUSED',
  'This Idempotency-Key was already used for a different contribution',
  // As at the bank: the IETF httpapi Idempotency-Key draft answers a reused key 422.
  422
)
export const IdempotencyKeyInFlightError = codedError(
  'RET_IDEMPOTENCY_KEY_IN_FLIGHT',
  'A request with this Idempotency-Key is still being processed; retry it shortly',
  409
)
export const RevocationsUnavailableError = codedError(
  'RET_REVOCATIONS_UNAVAILABLE',
  'Sign-outs cannot be checked with the bank yet, so no money can move right now; try again shortly',
  503
)
export const InvalidAmountError = codedError('RET_INVALID_AMOUNT', '%s', 400)
