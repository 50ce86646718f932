import { LRUCache } from 'lru-cache'

/** A session the bank has ended, and until when its tokens could still be presented. */
export interface DeniedSession {
  sessionId: string
  userId: string
  /** When the bank ended it (ms since the epoch). */
  revokedAt: number
  /** When its last access token has expired, tolerance included (ms since the epoch): it may be forgotten then. */
  expiresAt: number
}

/**
 * Where a relying party keeps the sessions the bank has ended. In memory by default; a service with
 * a database passes a store on it, so that the list survives a restart and is shared by its copies.
 */
export interface DenyListStore {
  add: (sessions: DeniedSession[]) => Promise<void>
  isRevoked: (sessionId: string) => boolean | Promise<boolean>
}

/** The default store: each entry forgotten once its session's tokens have expired. */
export function memoryDenyList (options: { max?: number, clock?: () => number } = {}): DenyListStore {
  const clock = options.clock ?? Date.now
  const denied = new LRUCache<string, true>({ max: options.max ?? 100_000, ttl: 1, ttlResolution: 0, perf: { now: () => clock() } })
  return {
    add: async (sessions) => {
      const now = clock()
      for (const session of sessions) {
        if (session.expiresAt > now) denied.set(session.sessionId, true, { ttl: session.expiresAt - now })
      }
    },
    isRevoked: (sessionId) => denied.has(sessionId)
  }
}
