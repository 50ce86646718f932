import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type DenyList, type RevokedSession, createDenyList } from './deny-list.js'

declare module 'fastify' {
  interface FastifyInstance {
    denyList: DenyList
    /** Asks the bank for the sessions ended while this service was not listening. */
    catchUpRevokedSessions: () => Promise<number>
  }
}

export interface DenyListPluginOptions {
  holdSeconds: number
  /** The bank, server-to-server. */
  bankUrl: string
  clock: () => number
  /** Catch up before serving (default); tests without a bank turn it off. */
  catchUpOnStart: boolean
  retryMs?: number
  /** How long the bank may stay away before one warning says so (default 30 s). */
  warnAfterMs?: number
}

export const REVOKED_SESSIONS_PATH = '/internal/revoked-sessions'

export const denyListPlugin = fp(async function denyList (app: FastifyInstance, options: DenyListPluginOptions) {
  const list = createDenyList(app.database.db, { holdSeconds: options.holdSeconds, clock: options.clock })
  // Until the first catch-up attempt after start has finished, session checks wait for it (bounded by
  // its timeout), so a logout missed while down is refused from the very first request.
  let firstAttempt: Promise<void> | undefined
  app.decorate('denyList', {
    ...list,
    isRevoked: async (sessionId: string) => {
      if (firstAttempt !== undefined) await firstAttempt
      return list.isRevoked(sessionId)
    }
  })

  app.decorate('catchUpRevokedSessions', async function catchUp (): Promise<number> {
    const since = options.clock() - options.holdSeconds * 1000
    const token = await app.signServiceToken({ userId: 'nestegg-retirement', audience: 'bank', scope: 'sessions:read' })
    const response = await fetch(new URL(`${REVOKED_SESSIONS_PATH}?since=${since}`, options.bankUrl), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      redirect: 'error',
      signal: AbortSignal.timeout(3000)
    })
    if (!response.ok) throw new Error(`the bank answered ${response.status}`)
    const revoked = await response.json() as RevokedSession[]
    await list.add(revoked)
    return revoked.length
  })

  if (!options.catchUpOnStart) return
  let timer: NodeJS.Timeout | undefined
  let closing = false
  // The bank usually starts beside us: wait for it quietly, and warn once if it stays away.
  const warnAfterMs = options.warnAfterMs ?? 30_000
  let waitingSince: number | undefined
  let warned = false
  const attempt = async (): Promise<boolean> => {
    try {
      const count = await app.catchUpRevokedSessions()
      app.log.info({ count }, 'deny-list caught up with the bank')
      waitingSince = undefined
      return true
    } catch (error) {
      const now = Date.now()
      waitingSince ??= now
      const reason = (error as Error).message
      if (!warned && now - waitingSince >= warnAfterMs) {
        warned = true
        app.log.warn({ err: reason, waitedMs: now - waitingSince }, 'the bank has not answered the deny-list catch-up; still retrying')
      } else {
        app.log.debug({ err: reason }, 'waiting for the bank to catch up the deny-list')
      }
      return false
    }
  }
  const retryLater = (): void => {
    if (closing) return
    timer = setTimeout(() => { void attempt().then((ok) => { if (!ok) retryLater() }) }, options.retryMs ?? 1000)
    timer.unref()
  }
  // After listening, not before: in eddsa mode the bank checks our service token against our JWKS,
  // which it can only fetch once we listen.
  app.addHook('onListen', async () => {
    firstAttempt = attempt().then((ok) => { if (!ok) retryLater() })
  })
  app.addHook('preClose', async () => {
    closing = true
    clearTimeout(timer)
  })
}, { name: 'retirement-deny-list', dependencies: ['retirement-database', '@nestegg/shared-auth'] })
