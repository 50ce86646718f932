import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import t from 'tap'
import { SQLITE_CACHE_KIB, openDatabase } from '../src/database.js'

t.test('a SQLite file is opened in WAL mode, synchronous FULL, with foreign keys on and a 4 MiB page cache', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const handle = openDatabase<Record<string, never>>({ engine: 'sqlite', target: join(dir, 'settings.db') })
  const pragma = async (name: string) => {
    const { rows } = await sql.raw<Record<string, unknown>>(`pragma ${name}`).execute(handle.db)
    return rows[0]?.[name]
  }
  t.equal(await pragma('journal_mode'), 'wal')
  t.equal(await pragma('synchronous'), 2, 'FULL: every commit syncs the write-ahead log before it returns')
  t.equal(await pragma('foreign_keys'), 1)
  t.equal(await pragma('cache_size'), -SQLITE_CACHE_KIB, 'negative: a size in KiB, not pages')
  t.equal(SQLITE_CACHE_KIB, 4096, 'a fixed 4 MiB, whatever the build of SQLite defaults to')
  await handle.db.destroy()
})

t.test('synchronous is lowered to NORMAL only when asked for by name', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-sqlite-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [setting, expected] of [[undefined, 2], ['full', 2], ['normal', 1]] as const) {
    const handle = openDatabase<Record<string, never>>({ engine: 'sqlite', target: join(dir, `${setting}.db`) }, { sqliteSynchronous: setting })
    const { rows } = await sql.raw<{ synchronous: number }>('pragma synchronous').execute(handle.db)
    t.equal(rows[0]?.synchronous, expected, `sqliteSynchronous ${setting ?? 'unset'}`)
    await handle.db.destroy()
  }
})
