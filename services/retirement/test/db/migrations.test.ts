import { migrateToLatest, openDatabase, parseDatabaseUrl } from '@nestegg/platform'
import { createTestDatabase } from '@nestegg/platform/testing'
import { Migrator, NO_MIGRATIONS } from 'kysely'
import t from 'tap'
import { migrations } from '../../src/db/migrations/index.js'

// On SQLite by default, on PostgreSQL when TEST_RETIREMENT_DATABASE_URL names a server: every migration's
// up and down must run on both engines.
t.test('the migrations go up, all the way down, and up again', async (t) => {
  const database = await createTestDatabase(process.env.TEST_RETIREMENT_DATABASE_URL, t.name)
  const handle = openDatabase(parseDatabaseUrl(database.url, ':memory:'))
  t.teardown(async () => {
    try { await handle.db.destroy() } finally { await database.drop() }
  })
  const ourTables = async () => (await handle.db.introspection.getTables()).map((table) => table.name).sort()

  await migrateToLatest(handle.db, migrations)
  const tables = await ourTables()
  t.ok(tables.length > 0, `up created ${tables.join(', ')}`)

  const migrator = new Migrator({ db: handle.db, provider: { getMigrations: async () => migrations } })
  const down = await migrator.migrateTo(NO_MIGRATIONS)
  t.equal(down.error, undefined, 'every down ran')
  t.equal(down.results?.length, Object.keys(migrations).length)
  t.same(await ourTables(), [], 'down removed every table up created')

  await migrateToLatest(handle.db, migrations)
  t.same(await ourTables(), tables, 'up again recreates the same tables')
})
