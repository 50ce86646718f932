import { createDatabasePlugin, type DatabaseHandle } from '@nestegg/platform'
import { fileURLToPath } from 'node:url'
import type { BankDatabase } from '../db/schema.js'

declare module 'fastify' {
  interface FastifyInstance {
    database: DatabaseHandle<BankDatabase>
  }
}

/** Without DATABASE_URL the bank keeps its data in services/bank/data/ (git-ignored). */
export const DEFAULT_SQLITE_FILE = fileURLToPath(new URL('../../data/bank.db', import.meta.url))

export const databasePlugin = createDatabasePlugin('bank-database')
