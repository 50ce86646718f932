import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import pg from 'pg'
import { type Kysely, sql } from 'kysely'
import { type Migration, Migrator, NO_MIGRATIONS } from 'kysely/migration'
import { type DatabaseHandle, migrateToLatest, openDatabase, parseDatabaseUrl } from './database.js'

export interface TestDatabase {
  /** The DATABASE_URL to give the app under test. */
  url: string
  /** Removes the database (PostgreSQL); nothing to do for SQLite. Safe to call twice. */
  drop: () => Promise<void>
}

/**
 * A database of its own for one test app, so tests never see each other's rows.
 *
 * `serverUrl` is what a developer or CI sets (TEST_BANK_DATABASE_URL and friends): unset or a
 * `sqlite:` URL gives a fresh in-memory SQLite database (or that file); a `postgres://` URL names a
 * server and a maintenance database on it, where a new, empty database is created for this app and
 * dropped by `drop()`. Migrations are the app's business, as in production.
 */
export async function createTestDatabase (serverUrl: string | undefined, label: string): Promise<TestDatabase> {
  if (serverUrl === undefined || serverUrl === '') return { url: 'sqlite::memory:', drop: async () => {} }
  if (parseDatabaseUrl(serverUrl, ':memory:').engine === 'sqlite') return { url: serverUrl, drop: async () => {} }

  const server = new URL(serverUrl)
  const base = server.pathname.replace(/^\//, '') || 'nestegg'
  // Identifiers are at most 63 bytes; the random suffix keeps parallel test processes apart.
  const safe = (part: string, length: number) => part.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, length)
  const name = `${safe(base, 30)}_${safe(label, 20)}_${randomBytes(5).toString('hex')}`
  await onServer(serverUrl, `create database "${name}"`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  let dropped = false
  return {
    url: url.toString(),
    drop: async () => {
      if (dropped) return
      dropped = true
      await onServer(serverUrl, async (client) => {
        // A closed pool resolves before its backends have gone: wait for them, so that FORCE
        // (PostgreSQL 13+) only ends connections a failed test really left open.
        const deadline = Date.now() + 5000
        while (Date.now() < deadline) {
          const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [name])
          if (rows[0].n === 0) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        await client.query(`drop database if exists "${name}" with (force)`)
      })
    }
  }
}

/** A table of balances that may not go below zero: the smallest ledger, for tests of transactions. */
export interface AccountsFixture {
  accounts: { id: string, balance: number }
}

/**
 * A fresh test database (see createTestDatabase) holding `accounts` with the given balances;
 * `close` destroys the connection, then drops the database.
 */
export async function openAccountsFixture (serverUrl: string | undefined, label: string, balances: Record<string, number>): Promise<{ database: DatabaseHandle<AccountsFixture>, close: () => Promise<void> }> {
  const testDatabase = await createTestDatabase(serverUrl, label)
  const database = openDatabase<AccountsFixture>(parseDatabaseUrl(testDatabase.url, ':memory:'))
  const close = async () => {
    try { await database.db.destroy() } finally { await testDatabase.drop() }
  }
  await database.db.schema.createTable('accounts')
    .addColumn('id', 'varchar(16)', (column) => column.primaryKey())
    .addColumn('balance', 'bigint', (column) => column.notNull().check(sql`balance >= 0`))
    .execute()
  await database.db.insertInto('accounts').values(Object.entries(balances).map(([id, balance]) => ({ id, balance }))).execute()
  return { database, close }
}

/** Every account's balance by id (PostgreSQL answers bigint as text). */
export async function accountBalances (db: Kysely<AccountsFixture>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('accounts').selectAll().orderBy('id').execute()
  return Object.fromEntries(rows.map((row) => [row.id, Number(row.balance)]))
}

async function onServer (serverUrl: string, work: string | ((client: pg.Client) => Promise<unknown>)): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await (typeof work === 'string' ? client.query(work) : work(client))
  } finally {
    await client.end()
  }
}

export interface MigrationRoundTrip {
  /** Tables after migrating up from nothing. */
  up: string[]
  downError: unknown
  /** How many migrations the way down ran. */
  downCount: number
  /** Tables left after migrating all the way down. */
  afterDown: string[]
  /** Tables after migrating up again. */
  upAgain: string[]
}

/**
 * Runs a service's migrations up, all the way down, and up again on a fresh test database (SQLite,
 * or PostgreSQL when `serverUrl` names a server), and reports the tables at each step.
 */
export async function migrationRoundTrip (
  serverUrl: string | undefined,
  label: string,
  migrations: Record<string, Migration>
): Promise<MigrationRoundTrip> {
  const database = await createTestDatabase(serverUrl, label)
  const handle = openDatabase(parseDatabaseUrl(database.url, ':memory:'))
  try {
    const tables = async () => (await handle.db.introspection.getTables()).map((table) => table.name).sort()
    await migrateToLatest(handle.db, migrations)
    const up = await tables()
    const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } })
    const down = await migrator.migrateTo(NO_MIGRATIONS)
    const afterDown = await tables()
    await migrateToLatest(handle.db, migrations)
    return { up, downError: down.error, downCount: down.results?.length ?? 0, afterDown, upAgain: await tables() }
  } finally {
    try { await handle.db.destroy() } finally { await database.drop() }
  }
}

/**
 * A TCP port on 127.0.0.1 that was free a moment ago, for a server started in another process (the
 * e2e suites' services, the benchmark's servers). Tests that start an app in-process listen on port 0.
 */
export async function freePort (): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
