import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit'
import { type Kysely, sql } from 'kysely'
import type { Migration } from 'kysely/migration'

/** The table every copy of a service counts in. Add `rateLimitCountersMigration` to the service's migrations. */
export interface RateLimitCountersTable {
  key: string
  count: number
  /** When the current window ends (ms since the epoch); the next hit after it starts a new window. */
  resets_at: number
}

export interface RateLimitDatabase {
  rate_limit_counters: RateLimitCountersTable
}

export const rateLimitCountersMigration: Migration = {
  async up (db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rate_limit_counters')
      .addColumn('key', 'varchar(255)', (column) => column.primaryKey())
      .addColumn('count', 'integer', (column) => column.notNull())
      .addColumn('resets_at', 'bigint', (column) => column.notNull())
      .execute()
    await db.schema.createIndex('rate_limit_counters_resets_at').on('rate_limit_counters').column('resets_at').execute()
  },
  async down (db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rate_limit_counters').execute()
  }
}

export interface DatabaseRateLimitStoreOptions {
  clock?: () => number
  /** Expired rows are deleted once every this many hits (per process). */
  sweepEvery?: number
}

type Callback = (error: Error | null, result?: { current: number, ttl: number }) => void

/**
 * A @fastify/rate-limit store in the service's own database (SQLite or PostgreSQL), so that every
 * copy of a service behind a load balancer counts against the same limit; the plugin's default
 * store counts in one process's memory. One upsert per hit, atomic on both engines (ON CONFLICT
 * takes the row lock on PostgreSQL; SQLite has one writer): no query differs between engines.
 * Time is the service's clock, so copies should run NTP like any server. Supports
 * `continueExceeding`; `exponentialBackoff` is refused rather than ignored.
 */
export function databaseRateLimitStore (db: Kysely<any>, options: DatabaseRateLimitStoreOptions = {}): FastifyRateLimitStoreCtor {
  const clock = options.clock ?? Date.now
  const sweepEvery = options.sweepEvery ?? 1000
  const counters = db as Kysely<RateLimitDatabase>
  let hits = 0

  async function increment (key: string, timeWindow: number, max: number, continueExceeding: boolean) {
    const now = clock()
    const fresh = now + timeWindow
    const row = await counters.insertInto('rate_limit_counters')
      .values({ key, count: 1, resets_at: fresh })
      .onConflict((conflict) => conflict.column('key').doUpdateSet((eb) => {
        const expired = eb('rate_limit_counters.resets_at', '<=', now)
        const count = eb.case().when(expired).then(1).else(eb('rate_limit_counters.count', '+', 1)).end()
        // Both SET expressions read the row as it was before this update, on either engine.
        const exceeding = continueExceeding ? eb('rate_limit_counters.count', '>=', max) : sql<boolean>`false`
        const resetsAt = eb.case().when(expired).then(fresh).when(exceeding).then(fresh).else(eb.ref('rate_limit_counters.resets_at')).end()
        return { count, resets_at: resetsAt }
      }))
      .returning(['count', 'resets_at'])
      .executeTakeFirstOrThrow()
    if (++hits % sweepEvery === 0) {
      await counters.deleteFrom('rate_limit_counters').where('resets_at', '<=', now).execute()
    }
    return { current: Number(row.count), ttl: Math.max(0, Number(row.resets_at) - now) }
  }

  async function read (key: string) {
    const now = clock()
    const row = await counters.selectFrom('rate_limit_counters').select(['count', 'resets_at'])
      .where('key', '=', key).where('resets_at', '>', now).executeTakeFirst()
    return row === undefined ? { current: 0, ttl: 0 } : { current: Number(row.count), ttl: Number(row.resets_at) - now }
  }

  class DatabaseStore implements FastifyRateLimitStore {
    private readonly prefix: string
    private readonly continueExceeding: boolean

    constructor (params: FastifyRateLimitOptions & { continueExceeding?: boolean, exponentialBackoff?: boolean }, prefix = '') {
      if (params.exponentialBackoff === true) throw new Error('databaseRateLimitStore does not support exponentialBackoff')
      this.prefix = prefix
      this.continueExceeding = params.continueExceeding === true
    }

    incr (key: string, callback: Callback, timeWindow: number, max: number): void {
      increment(this.prefix + key, timeWindow, max, this.continueExceeding).then((result) => callback(null, result), callback)
    }

    read (key: string, callback: Callback): void {
      read(this.prefix + key).then((result) => callback(null, result), callback)
    }

    child (routeOptions: Parameters<FastifyRateLimitStore['child']>[0] & { routeInfo?: { method: string | string[], url: string } }): FastifyRateLimitStore {
      const route = routeOptions.routeInfo ?? routeOptions
      const method = Array.isArray(route.method) ? route.method.join(',') : route.method
      return new DatabaseStore(routeOptions as never, `${this.prefix}${method}${route.url}-`)
    }
  }
  return DatabaseStore
}
