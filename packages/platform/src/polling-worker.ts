import type { FastifyBaseLogger } from 'fastify'

export interface PollingWorkerOptions {
  /** One pass over what is due; answers how much it did. */
  pass: () => Promise<number>
  /** Pause between passes. */
  intervalMs: number
  log: FastifyBaseLogger
  /** Names the worker in its error lines. */
  name: string
}

/**
 * The loop under every outbox worker: a pass now and then, a `kick` for a pass at once (or right
 * after the one in progress), and a `stop` that waits for the pass in flight, so the database
 * closes after it. Claims and backoff are the pass's business.
 */
export function createPollingWorker (options: PollingWorkerOptions) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let again = false
  let stopped = true
  let closing = false

  function schedule (delay: number): void {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(kick, delay)
    timer.unref()
  }

  function kick (): void {
    if (stopped) return
    if (running !== undefined) {
      again = true
      return
    }
    running = options.pass()
      .catch((error: unknown) => {
        options.log.error({ err: error }, `${options.name} pass failed`)
        return 0
      })
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          kick()
        } else {
          schedule(options.intervalMs)
        }
      })
  }

  return {
    /** One pass, by hand (tests call this with a moved clock). */
    runOnce: options.pass,
    /** Once started: a pass now, or right after the one in progress. */
    kick,
    /** Starts polling: the first pass after one interval. */
    start (): void {
      if (!stopped) return
      stopped = false
      closing = false
      schedule(options.intervalMs)
    },
    /** True once stop() was called: a long pass ends early, leaving the rest for the next process. */
    get stopping (): boolean {
      return closing
    },
    async stop (): Promise<void> {
      stopped = true
      closing = true
      clearTimeout(timer)
      timer = undefined
      await running
    }
  }
}

export type PollingWorker = ReturnType<typeof createPollingWorker>
