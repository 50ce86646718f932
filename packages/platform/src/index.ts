export { baseConfigProperties, loadConfig, ConfigError } from './config.js'
export { serverOptions, type LoggerSettings } from './logger.js'
export {
  idempotencyErrors,
  idempotencyGatePlugin,
  type IdempotencyGate,
  type IdempotencyGateOptions
} from './idempotency.js'
export { codedError, errorHandlerPlugin, toErrorBody, withHeaders, type ErrorBody, type ErrorHandlerOptions } from './errors.js'
export {
  parseDatabaseUrl,
  openDatabase,
  migrateToLatest,
  writeTransaction,
  isUniqueViolation,
  type DatabaseHandle,
  type OpenOptions,
  type SqliteSynchronous,
  type DatabaseLocation,
  type Engine
} from './database.js'
export { createGroupCommit, type GroupCommit, type GroupCommitOptions } from './group-commit.js'
export { createRecheckCache, type RecheckCache } from './recheck-cache.js'
export { healthRoutes, type HealthOptions, type ReadinessReport } from './health.js'
export { openApiPlugin, type OpenApiOptions } from './openapi.js'
export { securityPlugin, CsrfOriginError, type SecurityOptions } from './security.js'
export { runService, type RunOptions } from './server.js'
export { createDatabasePlugin, pingDatabase, type DatabasePluginOptions } from './database-plugin.js'
export { createFastify, type FastifySettings, type ServiceInstance } from './fastify.js'
export {
  databaseRateLimitStore,
  rateLimitCountersMigration,
  type DatabaseRateLimitStoreOptions,
  type RateLimitCountersTable,
  type RateLimitDatabase
} from './rate-limit-store.js'
export { createPollingWorker, type PollingWorker, type PollingWorkerOptions } from './polling-worker.js'
export { fetchWithTimeout } from './service-fetch.js'
export { MAX_CENTS, formatCents, type Cents } from './money.js'
