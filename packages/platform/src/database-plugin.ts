import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import type { Migration } from 'kysely/migration'
import {
  type DatabaseHandle,
  type SqliteSynchronous,
  migrateToLatest,
  openDatabase,
  parseDatabaseUrl,
  postgresSynchronousCommit
} from './database.js'

export interface DatabasePluginOptions {
  /** DATABASE_URL, or undefined for the service's default SQLite file. */
  url: string | undefined
  defaultSqliteFile: string
  migrations: Record<string, Migration>
  /** SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY: 'normal' only where losing acknowledged commits is acceptable. */
  sqliteSynchronous?: SqliteSynchronous | undefined
}

/** Opens and migrates a service's database, then hands it to a callback. */
export async function openServiceDatabase<DB> (options: DatabasePluginOptions): Promise<DatabaseHandle<DB>> {
  const database = openDatabase<DB>(parseDatabaseUrl(options.url, options.defaultSqliteFile), { sqliteSynchronous: options.sqliteSynchronous })
  try {
    await migrateToLatest(database.db, options.migrations)
  } catch (error) {
    await database.db.destroy()
    throw error
  }
  return database
}

export async function pingDatabase<DB> (database: DatabaseHandle<DB>): Promise<void> {
  await sql`select 1`.execute(database.db)
}

/**
 * Money is acknowledged only after its commit is on disk. A deployment that turned that off (by
 * PostgreSQL's synchronous_commit or by SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY) still starts, but says
 * so at error level on every start.
 */
async function warnIfCommitsUnsynced (app: FastifyInstance, database: DatabaseHandle<unknown>, options: DatabasePluginOptions): Promise<void> {
  if (database.engine === 'postgres') {
    const setting = await postgresSynchronousCommit(database)
    if (setting === 'off') {
      app.log.error({ synchronous_commit: setting }, 'PostgreSQL synchronous_commit is off: commits are answered before they are on disk, and a server crash can lose acknowledged money. Set synchronous_commit = on')
    }
  } else if (options.sqliteSynchronous === 'normal') {
    app.log.error({ SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY: 'normal' }, 'SQLite synchronous = NORMAL: commits are answered before the write-ahead log is synced, and a power loss can lose acknowledged money')
  }
}

/**
 * Decorates `app.database` (each service types it by declaration merging) and closes it with the app.
 */
export function createDatabasePlugin (name: string) {
  return fp(async function database (app: FastifyInstance, options: DatabasePluginOptions) {
    const database = await openServiceDatabase<unknown>(options)
    app.log.info({ engine: database.engine, location: database.location }, 'database ready')
    await warnIfCommitsUnsynced(app, database, options)
    app.decorate('database', database)
    app.addHook('onClose', async () => {
      await database.db.destroy()
    })
  }, { name, fastify: '5.x' })
}
