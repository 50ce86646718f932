import { openSqlite } from '../src/sqlite-driver.js'
import { Kysely, SqliteDialect, sql } from 'kysely'
import t from 'tap'
import { openDatabase, withStatementCache } from '../src/database.js'

t.test('the same SQL text is prepared once and its statement reused; the oldest is dropped past the limit', async (t) => {
  const raw = openSqlite(':memory:')
  let prepared = 0
  const counting = { prepare: (text: string) => { prepared++; return raw.prepare(text) }, close: () => raw.close() }
  const cached = withStatementCache(counting, 2)
  const db = new Kysely<{ items: { id: number, name: string } }>({ dialect: new SqliteDialect({ database: cached }) })
  await sql`create table items (id integer primary key, name text not null)`.execute(db)
  prepared = 0
  for (let id = 1; id <= 5; id++) await db.insertInto('items').values({ id, name: `item ${id}` }).execute()
  t.equal(prepared, 1, 'five inserts of one shape: one prepare')
  const byId = (id: number) => db.selectFrom('items').select('name').where('id', '=', id).executeTakeFirst()
  t.same(await byId(2), { name: 'item 2' })
  t.same(await byId(4), { name: 'item 4' }, 'a reused statement binds its new parameters')
  t.equal(prepared, 2)
  t.equal(cached.cachedStatements(), 2)
  await db.selectFrom('items').select('id').execute()
  t.equal(cached.cachedStatements(), 2, 'never more than the limit')
  t.same(await byId(5), { name: 'item 5' }, 'the select by id, used since, is still cached')
  t.equal(prepared, 3)
  await db.insertInto('items').values({ id: 6, name: 'item 6' }).execute()
  t.equal(prepared, 4, 'the insert, least recently used, was dropped and is prepared again')
  await byId(6)
  t.equal(prepared, 4, 'the select by id, used more recently than the select of all, was kept')
  await db.destroy()
  t.equal(cached.cachedStatements(), 0, 'closing drops every statement')
})

t.test('a statement cached before a migration still runs after it changes the table', async (t) => {
  const handle = openDatabase<{ items: { id: number, name: string, note?: string } }>({ engine: 'sqlite', target: ':memory:' })
  await sql`create table items (id integer primary key, name text not null)`.execute(handle.db)
  await handle.db.insertInto('items').values({ id: 1, name: 'one' }).execute()
  const all = () => handle.db.selectFrom('items').selectAll().execute()
  t.same(await all(), [{ id: 1, name: 'one' }])
  await sql`alter table items add column note text`.execute(handle.db)
  t.same(await all(), [{ id: 1, name: 'one', note: null }], 'SQLite re-prepares the cached select * itself')
  await handle.db.destroy()
})
