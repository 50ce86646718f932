import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { BACKCHANNEL_LOGOUT_PATH, type LogoutDeliverer, createLogoutDeliverer } from './logout-deliverer.js'
import { type SessionPolicy, type SessionService, createSessionService } from './session-service.js'

declare module 'fastify' {
  interface FastifyInstance {
    sessions: SessionService
    logoutDeliveries: LogoutDeliverer
  }
}

export interface SessionsPluginOptions {
  policy: SessionPolicy
  /** Where retirement listens, server-to-server. */
  retirementUrl: string
  clock: () => number
  /** Start the back-channel worker with the app (tests drive it by hand with runOnce). */
  autoStart: boolean
  retry?: { baseDelayMs: number, maxDelayMs: number, pollMs: number }
}

export const sessionsPlugin = fp(async function sessions (app: FastifyInstance, options: SessionsPluginOptions) {
  const retry = options.retry ?? { baseDelayMs: 250, maxDelayMs: 30_000, pollMs: 1000 }
  const deliverer = createLogoutDeliverer({
    db: app.database.db,
    endpoint: new URL(BACKCHANNEL_LOGOUT_PATH, options.retirementUrl).toString(),
    signLogoutToken: (notice) => app.signLogoutToken({ ...notice, audience: 'retirement' }),
    log: app.log.child({ component: 'backchannel-logout' }),
    clock: options.clock,
    ...retry
  })
  app.decorate('logoutDeliveries', deliverer)
  app.decorate('sessions', createSessionService(app.database, options.policy, options.clock, () => deliverer.kick()))
  if (options.autoStart) app.addHook('onReady', async () => deliverer.start())
  app.addHook('preClose', async () => deliverer.stop())
}, { name: 'bank-sessions', dependencies: ['bank-database', '@nestegg/shared-auth'] })
