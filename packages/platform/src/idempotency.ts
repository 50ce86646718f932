/**
 * One request at a time per Idempotency-Key, the same at the bank and at retirement: while the
 * first request with a key is still being processed, another with that key (and the same scope,
 * the user) is refused with `inFlight()`, a 409 (IETF httpapi Idempotency-Key draft); once the
 * first has answered, a retry reaches the service's own record and gets that answer again.
 * The set is this process's; across copies of a service the database's unique key still books once.
 */
export function createIdempotencyGate (inFlight: () => Error) {
  const processing = new Set<string>()
  return async function once<T> (scope: string, key: string, work: () => Promise<T>): Promise<T> {
    const id = `${scope}\n${key}`
    if (processing.has(id)) throw inFlight()
    processing.add(id)
    try {
      return await work()
    } finally {
      processing.delete(id)
    }
  }
}

export type IdempotencyGate = ReturnType<typeof createIdempotencyGate>
