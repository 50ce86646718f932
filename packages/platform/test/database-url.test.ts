import { resolve } from 'node:path'
import t from 'tap'
import { parseDatabaseUrl } from '../src/database.js'

t.test('DATABASE_URL selects the engine', async (t) => {
  t.same(parseDatabaseUrl(undefined, '/data/x.db'), { engine: 'sqlite', target: '/data/x.db' })
  t.same(parseDatabaseUrl('', '/data/x.db'), { engine: 'sqlite', target: '/data/x.db' })
  t.same(parseDatabaseUrl('sqlite::memory:', '/d'), { engine: 'sqlite', target: ':memory:' })
  t.same(parseDatabaseUrl('sqlite:/tmp/a.db', '/d'), { engine: 'sqlite', target: '/tmp/a.db' })
  t.same(parseDatabaseUrl('sqlite:rel/a.db', '/d'), { engine: 'sqlite', target: resolve('rel/a.db') })
  t.same(parseDatabaseUrl('postgres://u:p@127.0.0.1:5432/bank', '/d'), { engine: 'postgres', target: 'postgres://u:p@127.0.0.1:5432/bank' })
  t.throws(() => parseDatabaseUrl('mysql://x', '/d'), /DATABASE_URL must start with/)
})
