import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import t from 'tap'
import { SQLITE_CACHE_KIB, openDatabase } from '../src/database.js'

t.test('a SQLite file is opened in WAL mode, synchronous NORMAL with its own sync of the log, foreign keys on and a 4 MiB page cache', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const handle = openDatabase<Record<string, never>>({ engine: 'sqlite', target: join(dir, 'settings.db') })
  const pragma = async (name: string) => {
    const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(handle.db)
    return rows[0]?.[name]
  }
  t.equal(await pragma('journal_mode'), 'wal')
  t.equal(await pragma('synchronous'), 1, 'NORMAL: SQLite syncs at checkpoints; WalSync syncs each commit')
  t.type(handle.walSyncs, 'function', 'the write-ahead log is synced by the platform')
  t.equal(await pragma('foreign_keys'), 1)
  t.equal(await pragma('cache_size'), -SQLITE_CACHE_KIB, 'negative: a size in KiB, not pages')
  t.equal(SQLITE_CACHE_KIB, 4096, 'a fixed 4 MiB, whatever the build of SQLite defaults to')
  await handle.db.destroy()
})

t.test('commits are synced unless asked not to by name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [setting, synced] of [[undefined, true], ['full', true], ['normal', false]] as const) {
    const handle = openDatabase<Record<string, never>>({ engine: 'sqlite', target: join(dir, `${setting}.db`) }, { sqliteSynchronous: setting })
    await sql`create table t (x integer)`.execute(handle.db)
    await sql`insert into t values (1)`.execute(handle.db)
    const syncs = handle.walSyncs?.() ?? 0
    t.equal(syncs > 0, synced, `sqliteSynchronous ${setting ?? 'unset'}: ${syncs} syncs of the log`)
    await handle.db.destroy()
  }
})

t.test('where WAL is impossible (in memory), SQLite syncs by itself (FULL)', async (t) => {
  const handle = openDatabase<Record<string, never>>({ engine: 'sqlite', target: ':memory:' })
  const { rows } = await sql.raw<{ synchronous: number }>('pragma synchronous').execute(handle.db)
  t.equal(rows[0]?.synchronous, 2)
  t.equal(handle.walSyncs, undefined)
  await handle.db.destroy()
})
