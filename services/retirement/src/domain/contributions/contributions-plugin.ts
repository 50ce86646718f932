import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { BankClient } from '../bank/bank-client.js'
import type { Clock } from '../clock.js'
import type { RetryPolicy } from './backoff.js'
import { type ContributionService, createContributionService } from './contribution-service.js'
import { type ContributionWorker, createContributionWorker } from './contribution-worker.js'

declare module 'fastify' {
  interface FastifyInstance {
    bank: BankClient
    contributions: ContributionService
    contributionWorker: ContributionWorker
  }
}

export interface ContributionsPluginOptions {
  bank: BankClient
  clock: Clock
  retry: RetryPolicy
  /** 0 leaves the worker stopped (tests drive it with runOnce). */
  workerIntervalMs: number
}

export const contributionsPlugin = fp(async function contributions (app: FastifyInstance, options: ContributionsPluginOptions) {
  const log = app.log.child({ component: 'contributions' })
  const service = createContributionService({ database: app.database, bank: options.bank, clock: options.clock, retry: options.retry, log })
  const worker = createContributionWorker({ contributions: service, log, intervalMs: options.workerIntervalMs })
  app.decorate('bank', options.bank)
  app.decorate('contributions', service)
  app.decorate('contributionWorker', worker)
  if (options.workerIntervalMs > 0) app.addHook('onReady', async () => worker.start())
  // preClose: the attempt in flight finishes before the database closes.
  app.addHook('preClose', async () => worker.stop())
}, { name: 'retirement-contributions', dependencies: ['retirement-database', '@nestegg/shared-auth'] })
