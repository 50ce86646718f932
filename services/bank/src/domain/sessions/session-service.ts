import { randomUUID } from 'node:crypto'
import { type DatabaseHandle, createRecheckCache, writeTransaction } from '@nestegg/platform'
import { ACR_PASSWORD, type Authentication, createRefreshToken, hashRefreshToken } from '@nestegg/shared-auth'
import type { BankDatabase } from '../../db/schema.js'
import { RefreshInvalidError, RefreshReusedError, SessionExpiredError, SessionNotFoundError } from '../../errors.js'
import { type SessionRow, sessionQueries } from './session-repository.js'
import { openSuccessor, sealSuccessor } from './successor-seal.js'

export interface SessionPolicy {
  idleTimeoutSeconds: number
  maxLifetimeSeconds: number
  /** A refresh token presented again within this many seconds of its use is a lost response, not theft. */
  reuseGraceSeconds: number
  /** How long a revoked session must stay on the parties' deny-lists: the longest access token's life. */
  denyForSeconds: number
}

export interface StartedSession {
  sessionId: string
  refreshToken: string
  /** Seconds until the session's absolute end: the refresh cookie's Max-Age. */
  refreshMaxAge: number
  /** How and when the customer signed in: what every token of this session carries. */
  authentication: Authentication
}

/** How a customer just proved who they are; the bank's clock says when. */
export type SignInMethod = Pick<Authentication, 'amr' | 'acr'>

/** A password checked: the sign-in every existing login path records (RFC 8176 `pwd`). */
export const PASSWORD_SIGN_IN: SignInMethod = Object.freeze({ amr: ['pwd'], acr: ACR_PASSWORD })

/** A session's sign-in, as stored (ms) and as tokens carry it (seconds). */
function authenticationOf (row: { amr: string, acr: string, auth_time: number }): Authentication {
  return { amr: row.amr.split(' '), acr: row.acr as Authentication['acr'], authTime: Math.floor(row.auth_time / 1000) }
}

export interface SessionView {
  id: string
  userAgent: string
  createdAt: number
  lastUsedAt: number
  expiresAt: number
}

type RefreshOutcome =
  | { kind: 'rotated', session: SessionRow, refreshToken: string }
  | { kind: 'reused' | 'expired' | 'invalid' }

/**
 * How long the bank reuses what it read about a session for the check on every authenticated
 * request. Its own revocations are seen at once; another copy's (sharing the database) within this.
 */
export const SESSION_RECHECK_MS = 1000

export interface SessionServiceOptions {
  policy: SessionPolicy
  clock: () => number
  /** The relying parties: each gets a logout notice for every session that ends. */
  parties: readonly string[]
  /** After a revocation commits: its notices are waiting in the outbox. */
  onRevoked: () => void
}

export function createSessionService (database: DatabaseHandle<BankDatabase>, options: SessionServiceOptions) {
  const { policy, clock, parties, onRevoked } = options
  const queries = sessionQueries(database.db, parties)
  const giveUpAt = (now: number) => now + policy.denyForSeconds * 1000
  const idleLimit = (now: number) => now - policy.idleTimeoutSeconds * 1000
  // Per session: revoked, or until when it lives (a session's end never moves earlier but by revocation).
  const status = createRecheckCache<{ revoked: boolean, expiresAt: number }>({ recheckMs: SESSION_RECHECK_MS, max: 10_000, clock })

  function revoked (sessionIds?: string[]): void {
    status.forget(sessionIds)
    onRevoked()
  }

  async function revokeIds (ids: string[], reason: string): Promise<string[]> {
    const now = clock()
    const ended = await writeTransaction(database, (trx) => sessionQueries(trx, parties).revoke(ids, reason, now, giveUpAt(now)))
    if (ended.length > 0) revoked(ended)
    return ended
  }

  return {
    async start (userId: string, userAgent: string | undefined, method: SignInMethod): Promise<StartedSession> {
      const now = clock()
      const sessionId = randomUUID()
      const { token, hash } = createRefreshToken()
      await writeTransaction(database, async (trx) => {
        const inTransaction = sessionQueries(trx, parties)
        await inTransaction.insertSession({
          id: sessionId,
          user_id: userId,
          user_agent: (userAgent ?? '').slice(0, 256),
          created_at: now,
          last_used_at: now,
          expires_at: now + policy.maxLifetimeSeconds * 1000,
          revoked_at: null,
          revoked_reason: null,
          amr: method.amr.join(' '),
          acr: method.acr,
          auth_time: now
        })
        await inTransaction.insertToken(hash, sessionId, now)
      })
      const authentication = authenticationOf({ amr: method.amr.join(' '), acr: method.acr, auth_time: now })
      return { sessionId, refreshToken: token, refreshMaxAge: policy.maxLifetimeSeconds, authentication }
    },

    /**
     * A step-up: the customer of this live session just signed in again, so the session's sign-in
     * becomes this one, now. Its tokens from here on say so; the refresh token is untouched.
     */
    async recordAuthentication (sessionId: string, method: SignInMethod): Promise<{ userId: string, authentication: Authentication, sessionSecondsLeft: number }> {
      const now = clock()
      const row = { amr: method.amr.join(' '), acr: method.acr, auth_time: now }
      const session = await writeTransaction(database, async (trx) => {
        const found = await sessionQueries(trx, parties).findSession(sessionId)
        if (found === undefined || found.revoked_at !== null || now >= found.expires_at) return undefined
        await trx.updateTable('sessions').set(row).where('id', '=', sessionId).execute()
        return found
      })
      if (session === undefined) throw new SessionNotFoundError()
      return { userId: session.user_id, authentication: authenticationOf(row), sessionSecondsLeft: Math.floor((session.expires_at - now) / 1000) }
    },

    /**
     * Rotates a refresh token. A token used before is theft unless it is the one just rotated and
     * comes back within the grace window while its successor is still unused (its response was
     * lost): then it gets that same successor again, never a second one, so a replay cannot start a
     * second chain. Theft ends the whole session, and the revocation is committed even though the
     * answer is a 401.
     */
    async refresh (token: string): Promise<StartedSession & { userId: string }> {
      const now = clock()
      const hash = hashRefreshToken(token)
      const outcome = await writeTransaction(database, async (trx): Promise<RefreshOutcome> => {
        const inTransaction = sessionQueries(trx, parties)
        const row = await inTransaction.findToken(hash)
        const session = row && await inTransaction.findSession(row.session_id)
        if (row === undefined || session === undefined || session.revoked_at !== null) return { kind: 'invalid' }
        if (now >= session.expires_at || session.last_used_at <= idleLimit(now)) {
          await inTransaction.revoke([session.id], now >= session.expires_at ? 'expired' : 'idle', now, giveUpAt(now))
          return { kind: 'expired' }
        }
        if ((await inTransaction.useToken(hash, now)) === 0) {
          // Read again: a concurrent rotation of this token may have committed since the first read.
          const spent = await inTransaction.findToken(hash)
          const latest = await inTransaction.currentToken(session.id)
          const inGrace = spent?.used_at != null && now - spent.used_at <= policy.reuseGraceSeconds * 1000
          const successor = inGrace && spent?.successor_sealed != null ? openSuccessor(token, spent.successor_sealed) : undefined
          if (successor === undefined || latest === undefined || hashRefreshToken(successor) !== latest.token_hash) {
            await inTransaction.revoke([session.id], 'refresh_reuse', now, giveUpAt(now))
            return { kind: 'reused' }
          }
          await inTransaction.touch(session.id, now)
          return { kind: 'rotated', session, refreshToken: successor }
        }
        const next = createRefreshToken()
        await inTransaction.insertToken(next.hash, session.id, now)
        await inTransaction.keepSuccessor(hash, sealSuccessor(token, next.token))
        await inTransaction.touch(session.id, now)
        return { kind: 'rotated', session, refreshToken: next.token }
      })
      if (outcome.kind === 'invalid') throw new RefreshInvalidError()
      if (outcome.kind !== 'rotated') revoked()
      if (outcome.kind === 'expired') throw new SessionExpiredError()
      if (outcome.kind !== 'rotated') throw new RefreshReusedError()
      return {
        sessionId: outcome.session.id,
        userId: outcome.session.user_id,
        refreshToken: outcome.refreshToken,
        refreshMaxAge: Math.floor((outcome.session.expires_at - now) / 1000),
        // Copied from the session as it stands: a refresh never makes a sign-in look newer or stronger.
        authentication: authenticationOf(outcome.session)
      }
    },

    /** True when access tokens of this session must no longer be accepted. Local: the bank's own table. */
    async isRevoked (sessionId: string): Promise<boolean> {
      const known = await status.get(sessionId, async () => {
        const session = await queries.sessionStatus(sessionId)
        return { revoked: session === undefined || session.revoked_at !== null, expiresAt: session?.expires_at ?? 0 }
      })
      return known.revoked || clock() >= known.expiresAt
    },

    revoke: (sessionId: string, reason: string) => revokeIds([sessionId], reason),

    async revokeOwn (userId: string, sessionId: string): Promise<void> {
      const session = await queries.findSession(sessionId)
      if (session === undefined || session.user_id !== userId || session.revoked_at !== null) throw new SessionNotFoundError()
      await revokeIds([sessionId], 'user')
    },

    async revokeAllForUser (userId: string, reason: string): Promise<string[]> {
      return revokeIds(await queries.liveSessionIds(userId), reason)
    },

    async listActive (userId: string): Promise<SessionView[]> {
      const now = clock()
      const rows = await queries.listLive(userId, now, idleLimit(now))
      return rows.map((row) => ({
        id: row.id,
        userAgent: row.user_agent,
        createdAt: row.created_at,
        lastUsedAt: row.last_used_at,
        expiresAt: row.expires_at
      }))
    },

    /** Sessions revoked since `since` (ms): a relying party catches up with these after a restart. */
    async revokedSince (since: number): Promise<Array<{ sessionId: string, userId: string, revokedAt: number }>> {
      const rows = await queries.revokedSince(since)
      return rows.map((row) => ({ sessionId: row.id, userId: row.user_id, revokedAt: row.revoked_at ?? since }))
    }
  }
}

export type SessionService = ReturnType<typeof createSessionService>
