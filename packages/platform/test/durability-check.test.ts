import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import t from 'tap'
import { createDatabasePlugin, type DatabasePluginOptions } from '../src/database-plugin.js'
import { createTestDatabase } from '../src/testing.js'

// The SQLite cases always run; the PostgreSQL ones when TEST_PLATFORM_DATABASE_URL names a server
// (.ci/with-postgres sets it).

async function startUpLines (options: Omit<DatabasePluginOptions, 'migrations' | 'defaultSqliteFile'>): Promise<Array<{ level: number, msg: string }>> {
  const lines: Array<{ level: number, msg: string }> = []
  const app = Fastify({ logger: { level: 'info', stream: { write: (line: string) => { lines.push(JSON.parse(line)) } } } })
  await app.register(createDatabasePlugin('test-database'), { ...options, defaultSqliteFile: ':memory:', migrations: {} })
  await app.ready()
  await app.close()
  return lines
}

const ERROR = 50
const unsyncedErrors = (lines: Array<{ level: number, msg: string }>) =>
  lines.filter((line) => line.level >= ERROR && /acknowledged money/.test(line.msg))

t.test('SQLite: an error-level line at start-up when synchronous is lowered, none by default', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-durability-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  t.same(unsyncedErrors(await startUpLines({ url: `sqlite:${join(dir, 'a.db')}` })), [])
  t.same(unsyncedErrors(await startUpLines({ url: `sqlite:${join(dir, 'b.db')}`, sqliteSynchronous: 'full' })), [])
  const lowered = unsyncedErrors(await startUpLines({ url: `sqlite:${join(dir, 'c.db')}`, sqliteSynchronous: 'normal' }))
  t.equal(lowered.length, 1)
  t.match(lowered[0]?.msg, /synchronous = NORMAL/)
})

t.test('PostgreSQL: synchronous_commit off is reported at error level at start-up; on is quiet', {
  skip: process.env.TEST_PLATFORM_DATABASE_URL === undefined && 'needs TEST_PLATFORM_DATABASE_URL (.ci/with-postgres)'
}, async (t) => {
  const database = await createTestDatabase(process.env.TEST_PLATFORM_DATABASE_URL, 'durability')
  t.teardown(() => database.drop())
  // libpq's `options`: a setting for this connection, as a deployment's postgresql.conf would set it.
  const withSetting = (value: string) => `${database.url}?options=${encodeURIComponent(`-c synchronous_commit=${value}`)}`
  const off = unsyncedErrors(await startUpLines({ url: withSetting('off') }))
  t.equal(off.length, 1)
  t.match(off[0]?.msg, /synchronous_commit is off/)
  t.same(unsyncedErrors(await startUpLines({ url: withSetting('on') })), [])
  t.same(unsyncedErrors(await startUpLines({ url: database.url })), [], 'the server default (on)')
})
