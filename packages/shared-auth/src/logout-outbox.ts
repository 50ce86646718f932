import { createPollingWorker, fetchWithTimeout } from '@nestegg/platform'
import type { FastifyBaseLogger } from 'fastify'
import { INTERNAL_PATHS } from './contract.js'
import { createDeliveryHealth } from './delivery-health.js'
import { KEYS_CHANGED_PATH } from './keys-changed-notice.js'
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
  /** Signs a keys-changed notice for one party, naming the kids withdrawn. */
  signKeysChangedToken?: (notice: { audience: string, withdrawn: string[] }) => string
  log: FastifyBaseLogger
  clock: () => number
  /** First retry after this many ms, doubling up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /** How often pending notices are looked at without a kick. */
  pollMs: number
  /** Per call; short, so a party that hangs holds up the next pass (and the others' notices) little. */
  timeoutMs?: number
  /** A party failing for longer than this is reported as unreachable (default 60 s). */
  retryBudgetMs?: number
}

/** A keys-changed notice waiting for one party: in memory (a lost one is caught by the party's periodic trust check). */
interface KeysNotice {
  party: string
  withdrawn: string[]
  attempts: number
  dueAt: number
}

/**
 * Sends each notice of the outbox to its party's back-channel logout route as a signed logout
 * token, retrying with exponential backoff until delivered or moot (the session's access tokens
 * have all expired). A party that is down gets its notices when it is back. Keys-changed notices
 * take the same way, to the party's keys-changed route. A party that refuses them, or stays out of
 * reach, is reported (`problems()`).
 */
export function createLogoutSender (options: LogoutSenderOptions) {
  const urls = new Map(options.parties.map((party) => [party.name, party.url]))
  const endpoint = (party: string, path: string) => new URL(path, urls.get(party)).toString()
  const health = createDeliveryHealth({ log: options.log, urls, retryBudgetMs: options.retryBudgetMs ?? 60_000, clock: options.clock })
  let keysNotices: KeysNotice[] = []

  /** One POST of a signed notice; a refusal (401/403) and a failure are told apart for the report. */
  async function post (party: string, path: string, form: Record<string, string>, context: Record<string, unknown>): Promise<boolean> {
    const quiet = health.troubled(party)
    try {
      const response = await fetchWithTimeout(endpoint(party, path), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form).toString(),
        timeoutMs: options.timeoutMs ?? 1500
      })
      await response.body?.cancel()
      if (response.ok) {
        health.delivered(party)
        return true
      }
      options.log[quiet ? 'debug' : 'warn']({ ...context, party, status: response.status }, 'back-channel notice refused')
      if (response.status === 401 || response.status === 403) health.refused(party, response.status)
      else health.failed(party)
    } catch (error) {
      options.log[quiet ? 'debug' : 'warn']({ ...context, party, err: (error as Error).message }, 'back-channel notice failed; will retry')
      health.failed(party)
    }
    return false
  }

  async function deliverOne (row: LogoutNoticeRow): Promise<boolean> {
    if (!urls.has(row.party)) {
      // A party since removed from RELYING_PARTIES: nobody is left to tell.
      await options.store.delivered(row.id, options.clock(), row.attempts)
      return false
    }
    let token: string
    try {
      token = options.signLogoutToken({ sessionId: row.sessionId, userId: row.userId, audience: row.party })
    } catch (error) {
      options.log.warn({ sessionId: row.sessionId, party: row.party, err: (error as Error).message }, 'back-channel logout failed; will retry')
      token = ''
    }
    if (token !== '' && await post(row.party, INTERNAL_PATHS.backchannelLogout, { logout_token: token }, { sessionId: row.sessionId, attempt: row.attempts + 1 })) {
      await options.store.delivered(row.id, options.clock(), row.attempts + 1)
      options.log.info({ sessionId: row.sessionId, party: row.party }, 'back-channel logout delivered')
      return true
    }
    await options.store.retryAt(row.id, row.attempts + 1, options.clock() + backoff(row.attempts))
    return false
  }

  const backoff = (attempts: number) => Math.min(options.baseDelayMs * 2 ** attempts, options.maxDelayMs)

  async function deliverKeysNotice (notice: KeysNotice): Promise<boolean> {
    const sign = options.signKeysChangedToken
    if (sign === undefined || !urls.has(notice.party)) return true
    const token = sign({ audience: notice.party, withdrawn: notice.withdrawn })
    if (await post(notice.party, KEYS_CHANGED_PATH, { notice_token: token }, { withdrawn: notice.withdrawn, attempt: notice.attempts + 1 })) {
      options.log.info({ party: notice.party, withdrawn: notice.withdrawn }, 'keys-changed notice delivered')
      return true
    }
    notice.attempts++
    notice.dueAt = options.clock() + backoff(notice.attempts - 1)
    return false
  }

  /** One pass over the due notices, every party at once; answers how many were delivered. */
  async function pass (): Promise<number> {
    const now = options.clock()
    const dueKeys = keysNotices.filter((notice) => notice.dueAt <= now)
    const [due, keysResults] = await Promise.all([
      options.store.due(now, 100),
      Promise.all(dueKeys.map(async (notice) => ({ notice, done: await deliverKeysNotice(notice) })))
    ])
    const finished = new Set(keysResults.filter((result) => result.done).map((result) => result.notice))
    keysNotices = keysNotices.filter((notice) => !finished.has(notice))
    const results = await Promise.all(due.map(deliverOne))
    return results.filter(Boolean).length + finished.size
  }

  const worker = createPollingWorker({ pass, intervalMs: options.pollMs, log: options.log, name: 'back-channel logout' })
  return {
    ...worker,
    /** Queues a keys-changed notice to every party (one per party, replacing any still pending) and sends it at once. */
    keysChanged (withdrawn: string[]): void {
      const pending = new Map(keysNotices.map((notice) => [notice.party, notice]))
      for (const party of urls.keys()) {
        const merged = [...new Set([...(pending.get(party)?.withdrawn ?? []), ...withdrawn])].slice(-64)
        pending.set(party, { party, withdrawn: merged, attempts: 0, dueAt: options.clock() })
      }
      keysNotices = [...pending.values()]
      worker.kick()
    },
    /** Parties that cannot receive notices now, one line each, for the bank's /readyz. */
    problems: health.problems
  }
}

export type LogoutSender = ReturnType<typeof createLogoutSender>
