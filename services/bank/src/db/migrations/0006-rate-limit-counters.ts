import { rateLimitCountersMigration } from '@nestegg/platform'

/** The shared per-IP counters, used when AUTH_RATE_LIMIT_STORE=database (several copies of the bank). */
export const { up, down } = rateLimitCountersMigration
