import { createPollingWorker, fetchWithTimeout } from '@nestegg/platform'
import type { FastifyBaseLogger } from 'fastify'
import { INTERNAL_PATHS } from './contract.js'
import type { RelyingPartyEntry } from './relying-parties.js'

/** One pending notice: end this session at this party. */
export interface LogoutNoticeRow {
  id: string
  sessionId: string
  userId: string
  party: string
  attempts: number
}

/**
 * Where the issuer keeps its notices, one per session and party, written in the transaction that
 * ends the session, so that they survive a restart. The bank keeps them in its database.
 */
export interface LogoutOutboxStore {
  /** Undelivered notices due by `now` and not yet moot, oldest first. */
  due: (now: number, limit: number) => Promise<LogoutNoticeRow[]>
  delivered: (id: string, at: number, attempts: number) => Promise<void>
  retryAt: (id: string, attempts: number, at: number) => Promise<void>
}

export interface LogoutSenderOptions {
  store: LogoutOutboxStore
  parties: RelyingPartyEntry[]
  signLogoutToken: (notice: { sessionId: string, userId: string, audience: string }) => string
  log: FastifyBaseLogger
  clock: () => number
  /** First retry after this many ms, doubling up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /** How often pending notices are looked at without a kick. */
  pollMs: number
  /** Per call; short, so a party that hangs holds up the next pass (and the others' notices) little. */
  timeoutMs?: number
}

/**
 * Sends each notice of the outbox to its party's back-channel logout route as a signed logout
 * token, retrying with exponential backoff until delivered or moot (the session's access tokens
 * have all expired). A party that is down gets its notices when it is back.
 */
export function createLogoutSender (options: LogoutSenderOptions) {
  const endpoints = new Map(options.parties.map((party) => [party.name, new URL(INTERNAL_PATHS.backchannelLogout, party.url).toString()]))

  async function deliver (row: LogoutNoticeRow, endpoint: string): Promise<boolean> {
    try {
      const token = options.signLogoutToken({ sessionId: row.sessionId, userId: row.userId, audience: row.party })
      const response = await fetchWithTimeout(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ logout_token: token }).toString(),
        timeoutMs: options.timeoutMs ?? 1500
      })
      await response.body?.cancel()
      if (response.ok) return true
      options.log.warn({ sessionId: row.sessionId, party: row.party, status: response.status }, 'back-channel logout refused')
    } catch (error) {
      options.log.warn({ sessionId: row.sessionId, party: row.party, err: (error as Error).message, attempt: row.attempts + 1 }, 'back-channel logout failed; will retry')
    }
    return false
  }

  async function deliverOne (row: LogoutNoticeRow): Promise<boolean> {
    const endpoint = endpoints.get(row.party)
    if (endpoint === undefined) {
      // A party since removed from RELYING_PARTIES: nobody is left to tell.
      await options.store.delivered(row.id, options.clock(), row.attempts)
      return false
    }
    if (await deliver(row, endpoint)) {
      await options.store.delivered(row.id, options.clock(), row.attempts + 1)
      options.log.info({ sessionId: row.sessionId, party: row.party }, 'back-channel logout delivered')
      return true
    }
    const delay = Math.min(options.baseDelayMs * 2 ** row.attempts, options.maxDelayMs)
    await options.store.retryAt(row.id, row.attempts + 1, options.clock() + delay)
    return false
  }

  /** One pass over the due notices, every party at once; answers how many were delivered. */
  async function pass (): Promise<number> {
    const due = await options.store.due(options.clock(), 100)
    const results = await Promise.all(due.map(deliverOne))
    return results.filter(Boolean).length
  }

  return createPollingWorker({ pass, intervalMs: options.pollMs, log: options.log, name: 'back-channel logout' })
}

export type LogoutSender = ReturnType<typeof createLogoutSender>
