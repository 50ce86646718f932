import { createDatabasePlugin, type DatabaseHandle } from '@nestegg/platform'
import { fileURLToPath } from 'node:url'
import type { RetirementDatabase } from '../db/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle<RetirementDatabase>
  }
}

/** Without DATABASE_URL retirement keeps its data in services/retirement/data/ (git-ignored). */
export const DEFAULT_SQLITE_FILE = fileURLToPath(new URL('../../data/retirement.db', import.meta.url))

export const databasePlugin = createDatabasePlugin('retirement-database')
