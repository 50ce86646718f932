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
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let stopped = true
  let closing = false

  /** Attempts up to batchSize due contributions, one claim at a time; answers how many it attempted. */
  async function runOnce (): Promise<number> {
    let attempted = 0
    // Shutting down: leave the rest pending for the next process rather than delay the exit.
    while (attempted < batchSize && !closing) {
      try {
        if (await options.contributions.processNextDue() === undefined) break
      } catch (error) {
        options.log.error({ err: error }, 'contribution attempt failed')
      }
      attempted++
    }
    return attempted
  }

  function schedule (): void {
    if (stopped) return
    timer = setTimeout(() => {
      timer = undefined
      running = runOnce()
        .catch((error: unknown) => {
          options.log.error({ err: error }, 'contribution worker poll failed')
          return 0
        })
        .finally(() => {
          running = undefined
          schedule()
        })
    }, options.intervalMs)
    timer.unref()
  }

  return {
    /** One pass over the due contributions (tests call this directly with a moved clock). */
    runOnce,
    start (): void {
      if (!stopped) return
      stopped = false
      closing = false
      schedule()
    },
    /** Stops polling and waits for an attempt in flight, so the database closes after it. */
    async stop (): Promise<void> {
      stopped = true
      closing = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      await running
    }
  }
}

export type ContributionWorker = ReturnType<typeof createContributionWorker>
