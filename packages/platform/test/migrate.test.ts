import { type Kysely, sql } from 'kysely'
import t from 'tap'
import { migrateToLatest, openDatabase, parseDatabaseUrl } from '../src/database.js'
import { createTestDatabase } from '../src/testing.js'

const migrations = {
  '0001-counters': {
    async up (db: Kysely<any>) {
      await db.schema.createTable('counters').addColumn('id', 'varchar(8)', (column) => column.primaryKey()).execute()
      await db.insertInto('counters').values({ id: 'once' }).execute()
    }
  }
}

t.test('PostgreSQL: copies starting at once run each migration once', async (t) => {
  const server = process.env.TEST_PLATFORM_DATABASE_URL
  if (server === undefined || parseDatabaseUrl(server, ':memory:').engine !== 'postgres') {
    // One SQLite file belongs to one process on one machine; copies need a server database.
    t.pass('PostgreSQL only: npm run test:postgres')
    return
  }
  const database = await createTestDatabase(server, t.name)
  const copies = [1, 2, 3].map(() => openDatabase<any>(parseDatabaseUrl(database.url, ':memory:')))
  t.teardown(async () => {
    try { await Promise.all(copies.map((copy) => copy.db.destroy())) } finally { await database.drop() }
  })
  // Kysely's migrator holds an advisory lock on PostgreSQL: the others wait, then find nothing to do.
  await Promise.all(copies.map((copy) => migrateToLatest(copy.db, migrations)))
  const rows = await sql<{ id: string }>`select id from counters`.execute(copies[0]!.db)
  t.same(rows.rows, [{ id: 'once' }], 'the migration ran exactly once')
})
