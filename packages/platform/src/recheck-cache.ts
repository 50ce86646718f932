/**
 * Answers read from a database, reused for `recheckMs`: for checks every request makes (is this
 * session revoked?), where a change this process makes is seen at once (it calls `forget`) and one
 * made by another copy sharing the database within `recheckMs`.
 */
export function createRecheckCache<V> (options: { recheckMs: number, max: number, clock: () => number }) {
  const recent = new Map<string, { value: V, checkedAt: number }>()
  // Bumped by forget(), so that a lookup that raced with it does not remember a stale answer.
  let generation = 0
  return {
    async get (key: string, lookup: () => Promise<V>): Promise<V> {
      const now = options.clock()
      const known = recent.get(key)
      if (known !== undefined && now >= known.checkedAt && now - known.checkedAt < options.recheckMs) return known.value
      const asked = generation
      const value = await lookup()
      if (asked === generation) {
        if (recent.size >= options.max) recent.clear()
        recent.set(key, { value, checkedAt: now })
      }
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
