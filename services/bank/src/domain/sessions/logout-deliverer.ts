import type { FastifyBaseLogger } from 'fastify'
import type { Kysely } from 'kysely'
import type { BankDatabase } from '../../db/schema.js'

export interface LogoutDelivererOptions {
  db: Kysely<BankDatabase>
  /** retirement's back-channel logout endpoint. */
  endpoint: string
  signLogoutToken: (notice: { sessionId: string, userId: string }) => Promise<string>
  log: FastifyBaseLogger
  clock: () => number
  /** First retry after this many ms, doubling up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /** How often pending deliveries are looked at without a kick. */
  pollMs: number
  timeoutMs?: number
}

export const BACKCHANNEL_LOGOUT_PATH = '/internal/backchannel-logout'

/**
 * Sends queued logout notices to retirement as signed logout tokens, retrying with exponential backoff
 * until delivered or until the session's access tokens have all expired (then the notice is moot).
 */
export function createLogoutDeliverer (options: LogoutDelivererOptions) {
  let timer: NodeJS.Timeout | undefined
  let running: Promise<number> | undefined
  let again = false
  let stopped = true

  async function deliver (row: { id: string, session_id: string, user_id: string, attempts: number }): Promise<boolean> {
    try {
      const token = await options.signLogoutToken({ sessionId: row.session_id, userId: row.user_id })
      const response = await fetch(options.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        redirect: 'error',
        signal: AbortSignal.timeout(options.timeoutMs ?? 3000)
      })
      await response.body?.cancel()
      if (response.ok) return true
      options.log.warn({ sessionId: row.session_id, status: response.status }, 'back-channel logout refused')
    } catch (error) {
      options.log.warn({ sessionId: row.session_id, err: (error as Error).message, attempt: row.attempts + 1 }, 'back-channel logout failed; will retry')
    }
    return false
  }

  /** One pass over the due deliveries; answers how many were delivered. */
  async function runOnce (): Promise<number> {
    const now = options.clock()
    const due = await options.db.selectFrom('logout_deliveries').select(['id', 'session_id', 'user_id', 'attempts'])
      .where('delivered_at', 'is', null).where('next_attempt_at', '<=', now).where('give_up_at', '>', now)
      .orderBy('next_attempt_at', 'asc').limit(100).execute()
    let delivered = 0
    for (const row of due) {
      if (await deliver(row)) {
        delivered++
        await options.db.updateTable('logout_deliveries').set({ delivered_at: options.clock(), attempts: row.attempts + 1 }).where('id', '=', row.id).execute()
        options.log.info({ sessionId: row.session_id }, 'back-channel logout delivered')
      } else {
        const delay = Math.min(options.baseDelayMs * 2 ** row.attempts, options.maxDelayMs)
        await options.db.updateTable('logout_deliveries')
          .set({ attempts: row.attempts + 1, next_attempt_at: options.clock() + delay }).where('id', '=', row.id).execute()
      }
    }
    return delivered
  }

  function schedule (delay: number): void {
    if (stopped) return
    clearTimeout(timer)
    timer = setTimeout(() => { kick() }, delay)
    timer.unref()
  }

  /** Once started: runs a pass now (or right after the one in progress), then keeps polling. */
  function kick (): void {
    if (stopped) return
    if (running) {
      again = true
      return
    }
    running = runOnce()
      .catch((error) => { options.log.error({ err: error }, 'back-channel logout pass failed'); return 0 })
      .finally(() => {
        running = undefined
        if (again) {
          again = false
          kick()
        } else {
          schedule(options.pollMs)
        }
      })
  }

  return {
    runOnce,
    kick,
    start () {
      stopped = false
      kick()
    },
    async stop () {
      stopped = true
      clearTimeout(timer)
      await running
    }
  }
}

export type LogoutDeliverer = ReturnType<typeof createLogoutDeliverer>
