import { mkdirSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import {
  Kysely,
  PostgresDialect,
  SqliteDialect,
  type SqliteDatabase,
  type SqliteStatement,
  sql
} from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import pg from 'pg'
import { DurableSqliteDialect } from './durable-sqlite-dialect.js'
import { openSqlite } from './sqlite-driver.js'
import { type WalSync, createWalSync } from './wal-sync.js'

export type Engine = 'sqlite' | 'postgres'

export interface DatabaseHandle<DB> {
  db: Kysely<DB>
  engine: Engine
  /** Where the data lives, for logs: a file path, ':memory:' or the server without its password. */
  location: string
  /** SQLite with WalSync: how many syncs of the write-ahead log it made (tests, the bench). */
  walSyncs?: () => number
}

export interface DatabaseLocation {
  engine: Engine
  /** SQLite file path (or ':memory:'), or the PostgreSQL connection string. */
  target: string
}

/** DATABASE_URL → engine and target. None, or `sqlite:<path>`, is SQLite; `postgres://…` is PostgreSQL. */
export function parseDatabaseUrl (url: string | undefined, defaultSqliteFile: string): DatabaseLocation {
  if (url === undefined || url === '') return { engine: 'sqlite', target: defaultSqliteFile }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return { engine: 'postgres', target: url }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '')
    if (path === ':memory:' || path === '') return { engine: 'sqlite', target: ':memory:' }
    return { engine: 'sqlite', target: isAbsolute(path) ? path : resolve(path) }
  }
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got ${url.split(':')[0]}:)`)
}

// int8 (bigint) columns hold cents and epoch milliseconds; both fit in a JS number exactly.
pg.types.setTypeParser(20, (value: string) => Number.parseInt(value, 10))

/** SQLite's page cache per connection, in KiB. */
export const SQLITE_CACHE_KIB = 4096

/**
 * How SQLite's commits reach the disk. `full` (the default): a commit is answered only after the
 * write-ahead log holding it is synced (by `WalSync`, off the event loop). `normal` answers commits
 * before they are synced: a power loss or kernel crash can lose the last ones (a process crash
 * cannot): unsafe for money.
 */
export type SqliteSynchronous = 'full' | 'normal'

export interface OpenOptions {
  /** SQLITE_SYNCHRONOUS_UNSAFE_FOR_MONEY; default 'full'. */
  sqliteSynchronous?: SqliteSynchronous | undefined
}

export function openDatabase<DB> (location: DatabaseLocation, options: OpenOptions = {}): DatabaseHandle<DB> {
  if (location.engine === 'postgres') {
    const pool = new pg.Pool({ connectionString: location.target, max: 10 })
    const url = new URL(location.target)
    return {
      db: new Kysely<DB>({ dialect: new PostgresDialect({ pool }) }),
      engine: 'postgres',
      location: `${url.hostname}:${url.port || 5432}${url.pathname}`
    }
  }
  if (location.target !== ':memory:') mkdirSync(dirname(location.target), { recursive: true })
  let wal: WalSync | undefined
  const database = openSqlite(location.target, () => { wal?.noteCommit() })
  const journal = database.prepare('pragma journal_mode = WAL').all([]) as Array<{ journal_mode: string }>
  const inWal = journal[0]?.journal_mode === 'wal'
  // In WAL mode SQLite itself syncs only at checkpoints (NORMAL) and WalSync syncs each commit off
  // the event loop. Where WAL is impossible (':memory:', some network filesystems) SQLite syncs
  // every commit itself, on the event loop (FULL).
  const durable = options.sqliteSynchronous !== 'normal'
  database.exec(`pragma synchronous = ${inWal || !durable ? 'NORMAL' : 'FULL'}`)
  database.exec('pragma busy_timeout = 5000')
  database.exec('pragma foreign_keys = ON')
  // The hot pages are the ends of the ledger's tables and their indexes; 4 MiB holds them, and the
  // bank stays under its memory budget as the ledger grows.
  database.exec(`pragma cache_size = -${SQLITE_CACHE_KIB}`)
  const config = { database: withStatementCache(database) }
  if (inWal && durable) {
    // A new database's `-wal` file appears with its first read.
    database.prepare('select count(*) from sqlite_master').all([])
    wal = createWalSync(location.target)
  }
  const db = new Kysely<DB>({ dialect: wal === undefined ? new SqliteDialect(config) : new DurableSqliteDialect(config, wal) })
  return { db, engine: 'sqlite', location: location.target, ...(wal === undefined ? {} : { walSyncs: wal.syncs }) }
}

/**
 * Kysely's SQLite driver calls `prepare` for every query it runs, and preparing (parsing and
 * planning the SQL) costs more than running the statement. Kysely emits the same SQL text, with `?` parameters, for the same
 * query shape, so the statements are kept by their text, the most recently used up to `max`.
 * Reuse is safe: the driver runs one statement at a time on its single connection (a mutex), and
 * SQLite re-prepares a statement by itself when a migration changes the schema under it.
 */
export function withStatementCache (database: SqliteDatabase, max = 500): SqliteDatabase & { cachedStatements: () => number } {
  const statements = new Map<string, SqliteStatement>()
  return {
    prepare (text: string): SqliteStatement {
      let statement = statements.get(text)
      if (statement !== undefined) {
        // Most recently used last: a Map iterates in insertion order, so the first key is the oldest.
        statements.delete(text)
      } else {
        statement = database.prepare(text)
        if (statements.size >= max) statements.delete(statements.keys().next().value as string)
      }
      statements.set(text, statement)
      return statement
    },
    close () {
      statements.clear()
      database.close()
    },
    cachedStatements: () => statements.size
  }
}

class StaticMigrationProvider implements MigrationProvider {
  constructor (private readonly migrations: Record<string, Migration>) {}
  async getMigrations (): Promise<Record<string, Migration>> {
    return this.migrations
  }
}

/** Applies every pending migration in name order; throws (stopping start-up) if one fails. */
export async function migrateToLatest<DB> (db: Kysely<DB>, migrations: Record<string, Migration>): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(migrations) })
  const { error, results } = await migrator.migrateToLatest()
  const failed = results?.find((result) => result.status === 'Error')
  if (error !== undefined || failed !== undefined) {
    const name = failed?.migrationName ?? 'unknown'
    throw new Error(`Migration ${name} failed: ${(error as Error | undefined)?.message ?? 'see log'}`, { cause: error })
  }
}

const SERIALIZATION_FAILURES = new Set(['40001', '40P01'])

/**
 * Runs `work` in one write transaction. This is the one place where the engines differ:
 * SQLite takes the write lock up front with BEGIN IMMEDIATE (so two writers never deadlock on a
 * lock upgrade); PostgreSQL runs READ COMMITTED and retries serialization failures and deadlocks.
 *
 * On SQLite every write transaction runs alone; on PostgreSQL they overlap, and a value read with a
 * plain select may be stale by the time it is written back. So `work` changes balances with
 * conditional updates (`set balance = balance - x where balance >= x`, checking the row count) or
 * locks rows (`for update`) in a fixed order, e.g. by id: opposite orders deadlock, and although
 * the deadlock is retried here it costs PostgreSQL's deadlock_timeout (1 s) each time.
 * `work` may run more than once: no side effects outside the transaction.
 */
export async function writeTransaction<DB, T> (
  database: DatabaseHandle<DB>,
  work: (trx: Kysely<DB>) => Promise<T>,
  attempts = 5
): Promise<T> {
  if (database.engine === 'sqlite') {
    return database.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection)
      try {
        const result = await work(connection)
        await sql`commit`.execute(connection)
        return result
      } catch (error) {
        await sql`rollback`.execute(connection)
        throw error
      }
    })
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction().execute(work)
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= attempts || code === undefined || !SERIALIZATION_FAILURES.has(code)) throw error
      await new Promise((resolve) => setTimeout(resolve, attempt * 10 + Math.random() * 20))
    }
  }
}

/**
 * PostgreSQL's `synchronous_commit` for this connection: `off` acknowledges a commit before its WAL
 * is flushed, so a server crash loses commits the service already answered. Undefined on SQLite.
 */
export async function postgresSynchronousCommit<DB> (database: DatabaseHandle<DB>): Promise<string | undefined> {
  if (database.engine !== 'postgres') return undefined
  const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(database.db)
  return rows[0]?.synchronous_commit
}

/** True when an error is a unique-constraint violation, on either engine. */
export function isUniqueViolation (error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505'
}

/**
 * True when PostgreSQL refused a text value it cannot store: a NUL character (U+0000), which SQLite
 * stores and PostgreSQL's text and jsonb types cannot hold (22021 character_not_in_repertoire,
 * 22P05 untranslatable_character). Input that reaches a query with one is bad input, not a failure.
 */
export function isInvalidText (error: unknown): boolean {
  const code = (error as { code?: string }).code
  return code === '22021' || code === '22P05'
}
