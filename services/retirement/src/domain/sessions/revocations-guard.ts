import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { RevocationsUnavailableError } from '../../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * preHandler for routes that move money: 503 RET_REVOCATIONS_UNAVAILABLE until this process has
     * caught up with the bank once, since until then a session ended while it was down would pass.
     */
    requireCurrentRevocations: () => Promise<void>
  }
}

/** Fail closed where money moves; every other route serves anyway (docs/security.md). */
export const revocationsGuardPlugin = fp(async function revocationsGuard (app: FastifyInstance) {
  app.decorate('requireCurrentRevocations', async function requireCurrentRevocations (): Promise<void> {
    if (!app.revocationsCurrent()) throw new RevocationsUnavailableError()
  })
}, { name: 'retirement-revocations-guard' })
