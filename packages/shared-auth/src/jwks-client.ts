import { fetchWithTimeout } from '@nestegg/platform'
import { type VerifyKey, verifyKeyFromPublicJwk } from './keys.js'

export interface JwksClientOptions {
  /** The issuer's /.well-known/jwks.json. */
  url: string
  /** How long a fetched key set is trusted before it is fetched again. */
  cacheSeconds: number
  /** An unknown kid triggers a fetch at most this often, so junk kids cannot make us hammer the issuer. */
  refetchCooldownSeconds: number
  timeoutMs?: number
  /** Injected clock (ms since the epoch); tests move it instead of sleeping. */
  now?: () => number
  fetch?: typeof fetch
  onError?: (error: unknown) => void
}

export interface JwksClient {
  /** The key for `kid`, fetching the set when the cache is stale or the kid unknown, at most once per cool-down. */
  find: (kid: string) => Promise<VerifyKey | undefined>
  /**
   * Fetches the set now, whatever the cache and the cool-down say; unless `unlimited` (asked by
   * this service itself, or after a verified notice), at most once per FORCED_REFETCH_GAP_MS.
   * Answers whether a set was fetched.
   */
  refreshNow: (unlimited?: boolean) => Promise<boolean>
  /** The kid is in the set last fetched (no fetch). */
  has: (kid: string) => boolean
  /** How many times the set was fetched (for tests and metrics). */
  readonly fetches: number
}

/** However often a forced refresh is asked for (by anyone who can reach a party), the issuer sees at most one a second. */
export const FORCED_REFETCH_GAP_MS = 1000

/**
 * Public keys of another party, fetched from its JWKS endpoint and cached. A fetch that fails keeps
 * the keys already known; concurrent lookups share one fetch.
 */
export function createJwksClient (options: JwksClientOptions): JwksClient {
  const now = options.now ?? Date.now
  let keys = new Map<string, VerifyKey>()
  let fetchedAt = Number.NEGATIVE_INFINITY
  let attemptedAt = Number.NEGATIVE_INFINITY
  let inFlight: Promise<boolean> | undefined
  let fetches = 0

  let forcedAt = Number.NEGATIVE_INFINITY

  /** Answers whether a key set was fetched and taken. */
  async function refresh (): Promise<boolean> {
    attemptedAt = now()
    fetches++
    try {
      const response = await fetchWithTimeout(options.url, {
        headers: { accept: 'application/json' },
        timeoutMs: options.timeoutMs ?? 3000,
        ...(options.fetch ? { fetch: options.fetch } : {})
      })
      if (!response.ok) throw new Error(`JWKS ${options.url} answered ${response.status}`)
      const body = await response.json() as { keys?: unknown }
      if (!Array.isArray(body.keys)) throw new Error(`JWKS ${options.url} has no keys array`)
      const next = new Map<string, VerifyKey>()
      for (const jwk of body.keys) {
        const key = verifyKeyFromPublicJwk(jwk)
        if (key) next.set(key.kid, key)
      }
      keys = next
      fetchedAt = now()
      return true
    } catch (error) {
      options.onError?.(error)
      return false
    }
  }

  function refreshOnce (): Promise<boolean> {
    inFlight ??= refresh().finally(() => { inFlight = undefined })
    return inFlight
  }

  return {
    async find (kid) {
      const stale = now() - fetchedAt >= options.cacheSeconds * 1000
      const coolingDown = now() - attemptedAt < options.refetchCooldownSeconds * 1000
      if ((stale || !keys.has(kid)) && !coolingDown) await refreshOnce()
      return keys.get(kid)
    },
    async refreshNow (unlimited = false) {
      // A fetch already on its way may have left before the change that prompted this one.
      if (inFlight !== undefined) await inFlight
      if (!unlimited && now() - forcedAt < FORCED_REFETCH_GAP_MS) return false
      forcedAt = now()
      return refreshOnce()
    },
    has: (kid) => keys.has(kid),
    get fetches () {
      return fetches
    }
  }
}
