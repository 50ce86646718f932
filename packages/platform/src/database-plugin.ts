import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { sql } from 'kysely'
import type { Migration } from 'kysely/migration'
import { type DatabaseHandle, migrateToLatest, openDatabase, parseDatabaseUrl } from './database.js'

export interface DatabasePluginOptions {
  /** DATABASE_URL, or undefined for the service's default SQLite file. */
  url: string | undefined
  defaultSqliteFile: string
  migrations: Record<string, Migration>
}

/** Opens and migrates a service's database, then hands it to a callback. */
export async function openServiceDatabase<DB> (options: DatabasePluginOptions): Promise<DatabaseHandle<DB>> {
  const handle = openDatabase<DB>(parseDatabaseUrl(options.url, options.defaultSqliteFile))
  try {
    await migrateToLatest(handle.db, options.migrations)
  } catch (error) {
    await handle.db.destroy()
    throw error
  }
  return handle
}

export async function pingDatabase<DB> (handle: DatabaseHandle<DB>): Promise<void> {
  await sql`select 1`.execute(handle.db)
}

/**
 * Decorates `app.database` (each service types it by declaration merging) and closes it with the app.
 */
export function createDatabasePlugin (name: string) {
  return fp(async function database (app: FastifyInstance, options: DatabasePluginOptions) {
    const handle = await openServiceDatabase<unknown>(options)
    app.log.info({ engine: handle.engine, location: handle.location }, 'database ready')
    app.decorate('database', handle)
    app.addHook('onClose', async () => {
      await handle.db.destroy()
    })
  }, { name, fastify: '5.x' })
}
