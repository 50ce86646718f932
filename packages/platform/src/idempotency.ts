import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { codedError } from './errors.js'

/**
 * The Idempotency-Key errors, worded once for every service; only the code's prefix is the
 * service's (`BANK_IDEMPOTENCY_KEY_REUSED`, `RET_IDEMPOTENCY_KEY_IN_FLIGHT`): clients match on
 * those codes. Statuses as the IETF httpapi Idempotency-Key draft gives them.
 */
export function idempotencyErrors<P extends string> (prefix: P) {
  return {
    /** For an API whose header is optional in its schema and required by its handler. */
    KeyRequired: codedError(`${prefix}_IDEMPOTENCY_KEY_REQUIRED`,
      'An Idempotency-Key header (1 to 128 printable ASCII characters, no spaces) is required', 400),
    KeyReused: codedError(`${prefix}_IDEMPOTENCY_KEY_REUSED`,
      'This Idempotency-Key was already used with a different request', 422),
    KeyInFlight: codedError(`${prefix}_IDEMPOTENCY_KEY_IN_FLIGHT`,
      'A request with this Idempotency-Key is still being processed; retry it shortly', 409)
  }
}

export interface IdempotencyGate {
  /**
   * For an API: while a request with this scope and key is in flight, another is refused at once
   * with the service's 409 IDEMPOTENCY_KEY_IN_FLIGHT; a client retries and gets the recorded answer.
   */
  refuseWhileInFlight: <T>(scope: string, key: string, work: () => Promise<T>) => Promise<T>
  /**
   * For a form: a browser shows only the answer to the last of two clicks, so the second waits for
   * the first to settle, then runs `work`, which finds the first's record and answers the same.
   */
  waitWhileInFlight: <T>(scope: string, key: string, work: () => Promise<T>) => Promise<T>
}

/**
 * One request at a time per scope (the user) and Idempotency-Key in this process, the same at the
 * bank and at retirement. Across copies of a service the database's unique key still books once.
 */
export function createIdempotencyGate (inFlight: () => Error): IdempotencyGate {
  // Each entry settles (never rejects) when its request has answered.
  const running = new Map<string, Promise<void>>()

  async function run<T> (id: string, work: () => Promise<T>): Promise<T> {
    let settle = () => {}
    running.set(id, new Promise<void>((resolve) => { settle = resolve }))
    try {
      return await work()
    } finally {
      running.delete(id)
      settle()
    }
  }

  return {
    async refuseWhileInFlight (scope, key, work) {
      const id = `${scope}\n${key}`
      if (running.has(id)) throw inFlight()
      return run(id, work)
    },
    async waitWhileInFlight (scope, key, work) {
      const id = `${scope}\n${key}`
      // Several may wait: the first to wake runs, the others wait for it in turn.
      for (let first = running.get(id); first !== undefined; first = running.get(id)) await first
      return run(id, work)
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The service's one idempotency gate, shared by its API and its forms. */
    idempotency: IdempotencyGate
  }
}

export interface IdempotencyGateOptions {
  /** The service's own `idempotencyErrors(prefix).KeyInFlight`. */
  inFlight: () => Error
}

/** Decorates `app.idempotency`: one gate per service, so an API request and a form with the same key meet. */
export const idempotencyGatePlugin = fp(async function idempotencyGate (app: FastifyInstance, options: IdempotencyGateOptions) {
  app.decorate('idempotency', createIdempotencyGate(options.inFlight))
}, { name: '@nestegg/platform/idempotency', fastify: '5.x' })
