import { createPollingWorker } from '@nestegg/platform'
import type { FastifyBaseLogger } from 'fastify'
import type { ContributionService } from './contribution-service.js'

export interface ContributionWorkerOptions {
  contributions: Pick<ContributionService, 'processNextDue'>
  log: FastifyBaseLogger
  /** Pause between polls for due contributions. */
  intervalMs: number
  batchSize?: number
}

/**
 * Finishes what requests could not: every pending contribution whose next attempt is due is
 * retried (the contribution service decides the backoff) until the bank debits or refuses it.
 * Runs in each retirement process: each due contribution is claimed (a lease, with SKIP LOCKED on
 * PostgreSQL) by one process at a time, and should a lease run out mid-attempt the bank is still
 * idempotent on the contribution id and completion is conditional.
 */
export function createContributionWorker (options: ContributionWorkerOptions) {
  const batchSize = options.batchSize ?? 20

  /** Attempts up to batchSize due contributions, one claim at a time; answers how many it attempted. */
  async function pass (): Promise<number> {
    let attempted = 0
    // Shutting down: leave the rest pending for the next process rather than delay the exit.
    while (attempted < batchSize && !worker.stopping) {
      try {
        if (await options.contributions.processNextDue() === undefined) break
      } catch (error) {
        options.log.error({ err: error }, 'contribution attempt failed')
      }
      attempted++
    }
    return attempted
  }

  const worker = createPollingWorker({ pass, intervalMs: options.intervalMs, log: options.log, name: 'contribution worker' })
  return worker
}

export type ContributionWorker = ReturnType<typeof createContributionWorker>
