import { codedError } from '@nestegg/platform'
import type { FastifyInstance } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for routes that move money (or do anything a revoked session must not): a 503 until
     * this process has caught up with the bank once, since until then a session ended while it was
     * down would pass. Every other route serves anyway (docs/security.md).
     */
    requireCurrentRevocations: () => Promise<void>
  }
}

/** The guard's refusal unless the service names its own (retirement: RET_REVOCATIONS_UNAVAILABLE). */
export const AuthRevocationsUnavailableError = codedError(
  'AUTH_REVOCATIONS_UNAVAILABLE',
  'Sign-outs cannot be checked with the bank yet; try again shortly',
  503
)

/** Fails closed while `current()` is false, with `refusal()` (a coded 503 the caller may retry). */
export function decorateRevocationsGuard (app: FastifyInstance, current: () => boolean, refusal: () => Error = () => new AuthRevocationsUnavailableError()): void {
  app.decorate('requireCurrentRevocations', async function requireCurrentRevocations (): Promise<void> {
    if (!current()) throw refusal()
  })
}
