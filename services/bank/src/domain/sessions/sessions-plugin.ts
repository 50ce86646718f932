import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type SessionPolicy, type SessionService, createSessionService } from './session-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionService
  }
}

export interface SessionsPluginOptions {
  policy: SessionPolicy
  clock: () => number
}

/** Sessions end here; the issuer's outbox tells every relying party, at once and then on retry. */
export const sessionsPlugin = fp(async function sessions (app: FastifyInstance, options: SessionsPluginOptions) {
  app.decorate('sessions', createSessionService(app.database, {
    policy: options.policy,
    clock: options.clock,
    parties: app.relyingParties,
    onRevoked: () => app.logoutNotices.kick()
  }))
}, { name: 'bank-sessions', dependencies: ['bank-database', '@nestegg/shared-auth'] })
