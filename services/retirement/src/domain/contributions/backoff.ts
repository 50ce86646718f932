export interface RetryPolicy {
  /** Delay before the second attempt; each later attempt doubles it. */
  baseMs: number
  /** The delay never grows past this: a pending contribution is retried until the bank answers. */
  maxMs: number
  /**
   * While one attempt is talking to the bank, the worker leaves the contribution alone this long
   * (longer than the bank timeout), so one process does not race itself.
   */
  leaseMs: number
}

/** Exponential backoff after `attempts` failed attempts (1 → baseMs, 2 → 2·baseMs, …), capped at maxMs. */
export function retryDelayMs (policy: RetryPolicy, attempts: number): number {
  const exponent = Math.max(0, attempts - 1)
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(exponent, 30))
}
