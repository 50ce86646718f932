import type { FastifyBaseLogger } from 'fastify'
import type { ContributionService } from './contribution-service.js'

export interface ContributionWorkerOptions {
  contributions: Pick<ContributionService, 'due' | 'process'>
  log: FastifyBaseLogger
  /** Pause between polls for due contributions. */
  intervalMs: number
  batchSize?: number
}

/**
 * Finishes what requests could not: every pending contribution whose next attempt is due is
 * retried (the contribution service decides the backoff) until the bank debits or refuses it.
 * Runs in each retirement process; two processes retrying the same contribution are harmless,
 * because the bank is idempotent on the contribution id and completion is conditional.
 */
export function createContributionWorker (options: ContributionWorkerOptions) {
  const batchSize = options.batchSize ?? 20
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let stopped = true
  let closing = false

  async function runOnce (): Promise<number> {
    const ids = await options.contributions.due(batchSize)
    for (const id of ids) {
      // Shutting down: leave the rest pending for the next process rather than delay the exit.
      if (closing) break
      try {
        await options.contributions.process(id)
      } catch (error) {
        options.log.error({ err: error, contributionId: id }, 'contribution attempt failed')
      }
    }
    return ids.length
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
