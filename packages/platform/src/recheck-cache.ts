import { LRUCache } from 'lru-cache'

/**
 * Answers read from a database, reused for `recheckMs`: for checks every request makes (is this
 * session revoked?), where a change this process makes is seen at once (it calls `forget`) and one
 * made by another copy sharing the database within `recheckMs`. At most `max` answers are kept: when
 * full, the least recently used one goes.
 */
export function createRecheckCache<V> (options: { recheckMs: number, max: number, clock: () => number }) {
  const recent = new LRUCache<string, { value: V, checkedAt: number }>({
    max: options.max,
    ttl: options.recheckMs,
    // Every lookup reads the clock: the default reuses one reading for a millisecond.
    ttlResolution: 0,
    perf: { now: options.clock }
  })
  // Bumped by forget(), so that a lookup that raced with it does not remember a stale answer.
  let generation = 0
  return {
    async get (key: string, lookup: () => Promise<V>): Promise<V> {
      const known = recent.get(key)
      // Age checked here too: lru-cache takes a wall clock stepped back for a younger answer, and a
      // start of 0 for no start at all.
      const age = options.clock() - (known?.checkedAt ?? 0)
      if (known !== undefined && age >= 0 && age <= options.recheckMs) return known.value
      const asked = generation
      // The answer's age counts from before the lookup: a change made while it ran may be missing.
      const start = options.clock()
      const value = await lookup()
      if (asked === generation) recent.set(key, { value, checkedAt: start }, { start })
      return value
    },
    /** Forgets the given keys, or everything. */
    forget (keys?: readonly string[]): void {
      generation++
      if (keys === undefined) recent.clear()
      else for (const key of keys) recent.delete(key)
    }
  }
}

export type RecheckCache<V> = ReturnType<typeof createRecheckCache<V>>
