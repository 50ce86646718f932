import { createPollingWorker } from '@nestegg/platform'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { purgeSecurityEvents } from './security-events.js'

export interface SecurityRetentionOptions {
  retentionDays: number
  /** Pause between purges. */
  intervalMs?: number
  /** Start the purge loop when ready (default true; tests call `securityRetention.runOnce`). */
  autoStart?: boolean
  clock?: () => number
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The security activity's retention purge (an outbox-style polling worker). */
    securityRetention: ReturnType<typeof createPollingWorker>
  }
}

/** Deletes security events past SECURITY_EVENTS_RETENTION_DAYS, hourly by default. */
export const securityRetentionPlugin = fp(async function securityRetention (app: FastifyInstance, options: SecurityRetentionOptions) {
  const clock = options.clock ?? Date.now
  const worker = createPollingWorker({
    name: 'security events retention',
    intervalMs: options.intervalMs ?? 3_600_000,
    log: app.log.child({ component: 'security-retention' }),
    pass: async () => {
      const purged = await purgeSecurityEvents(app.database.db, clock() - options.retentionDays * 86_400_000)
      if (purged > 0) app.log.info({ purged }, 'security events past their retention purged')
      return purged
    }
  })
  app.decorate('securityRetention', worker)
  if (options.autoStart ?? true) app.addHook('onReady', async () => worker.start())
  app.addHook('preClose', async () => worker.stop())
}, { name: 'bank-security-retention', dependencies: ['bank-database'] })
