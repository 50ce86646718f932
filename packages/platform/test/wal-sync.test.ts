import { mkdtempSync, rmSync } from 'node:fs'
import { type FileHandle, open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import t, { type Test } from 'tap'
import { openDatabase } from '../src/database.js'

// The sync of the write-ahead log, seen from outside: FileHandle.datasync is what WalSync calls.
// Each test records when a datasync starts and ends against when a commit's caller is answered.

// FileHandle's class is not exported: its prototype, from a handle.
const probe = await open(import.meta.filename, 'r')
const FileHandleProto = Object.getPrototypeOf(probe) as FileHandle
await probe.close()

function openFile (t: Test) {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-walsync-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return openDatabase<Record<string, never>>({ engine: 'sqlite', target: join(dir, 'wal.db') })
}

function recordSyncs (t: Test, events: string[]) {
  const datasync = FileHandleProto.datasync
  t.teardown(() => { FileHandleProto.datasync = datasync })
  let n = 0
  FileHandleProto.datasync = async function (this: FileHandle) {
    const id = ++n
    events.push(`sync ${id} start`)
    await datasync.call(this)
    events.push(`sync ${id} done`)
  }
}

t.test('a write is answered only after a datasync of the log that started after its commit', async (t) => {
  const handle = openFile(t)
  await sql`create table t (x integer)`.execute(handle.db)
  const events: string[] = []
  recordSyncs(t, events)
  await sql`insert into t values (1)`.execute(handle.db)
  events.push('answered')
  t.same(events, ['sync 1 start', 'sync 1 done', 'answered'])
  await handle.db.destroy()
})

t.test('a read commits nothing and waits for no sync', async (t) => {
  const handle = openFile(t)
  await sql`create table t (x integer)`.execute(handle.db)
  const before = handle.walSyncs?.()
  await sql`select count(*) from t`.execute(handle.db)
  await handle.db.selectFrom('t' as never).selectAll().execute()
  t.equal(handle.walSyncs?.(), before)
  await handle.db.destroy()
})

// Syncs held until the test lets each one go, so the order below does not depend on timers.
function holdSyncs (t: Test, events: string[]) {
  const datasync = FileHandleProto.datasync
  t.teardown(() => { FileHandleProto.datasync = datasync })
  const gates = new Map<number, () => void>()
  const started = new Map<number, () => void>()
  const startedAt = new Map<number, Promise<void>>()
  const whenStarted = (id: number) => {
    let promise = startedAt.get(id)
    if (promise === undefined) {
      promise = new Promise<void>((resolve) => started.set(id, resolve))
      startedAt.set(id, promise)
    }
    return promise
  }
  let n = 0
  FileHandleProto.datasync = async function (this: FileHandle) {
    const id = ++n
    events.push(`sync ${id} start`)
    const gate = new Promise<void>((resolve) => gates.set(id, resolve))
    void whenStarted(id)
    started.get(id)?.()
    await gate
    await datasync.call(this)
    events.push(`sync ${id} done`)
  }
  return {
    started: whenStarted,
    release: (id: number) => gates.get(id)?.(),
    count: () => n
  }
}

t.test('a commit made while a sync runs is not answered by it: another sync starts, which later commits share', async (t) => {
  const handle = openFile(t)
  await sql`create table t (x integer)`.execute(handle.db)
  const events: string[] = []
  const syncs = holdSyncs(t, events)
  const rows = async () => (await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)).rows[0]?.n
  const first = sql`insert into t values (1)`.execute(handle.db).then(() => events.push('first answered'))
  await syncs.started(1)
  // The first commit's sync runs: commit once more while it does.
  const second = sql`insert into t values (2)`.execute(handle.db).then(() => events.push('second answered'))
  await syncs.started(2)
  // Two syncs run now (the most at once): these commits wait for a third, and share it.
  const later = Promise.all([3, 4, 5].map((x) => sql`insert into t values (${x})`.execute(handle.db)))
    .then(() => events.push('later answered'))
  while (await rows() !== 5) await new Promise((resolve) => setImmediate(resolve))
  t.equal(syncs.count(), 2, 'no third sync while two run')
  syncs.release(1)
  await syncs.started(3)
  syncs.release(2)
  syncs.release(3)
  await Promise.all([first, second, later])
  const at = (event: string) => events.indexOf(event)
  t.ok(at('sync 1 done') < at('first answered'))
  t.ok(at('sync 2 start') < at('sync 1 done'), 'the second commit did not wait for the running sync to end')
  t.ok(at('sync 2 done') < at('second answered'))
  t.ok(at('sync 3 start') > at('sync 1 done'), 'no more than two syncs at once')
  t.ok(at('sync 3 done') < at('later answered'), 'the later commits are answered by a sync that started after them')
  t.equal(events.filter((event) => event.endsWith('start')).length, 3, 'the three later commits shared one sync')
  await handle.db.destroy()
})

t.test('the connection serves the next caller while a commit syncs', async (t) => {
  const handle = openFile(t)
  await sql`create table t (x integer)`.execute(handle.db)
  const events: string[] = []
  const syncs = holdSyncs(t, events)
  const write = sql`insert into t values (1)`.execute(handle.db).then(() => events.push('write answered'))
  await syncs.started(1)
  const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(handle.db)
  events.push(`read answered ${rows[0]?.n}`)
  syncs.release(1)
  await write
  t.same(events, ['sync 1 start', 'read answered 1', 'sync 1 done', 'write answered'])
  await handle.db.destroy()
})

t.test('after a failed sync, no later write is acknowledged', async (t) => {
  const handle = openFile(t)
  await sql`create table t (x integer)`.execute(handle.db)
  const datasync = FileHandleProto.datasync
  t.teardown(() => { FileHandleProto.datasync = datasync })
  FileHandleProto.datasync = async () => { throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }) }
  await t.rejects(sql`insert into t values (1)`.execute(handle.db), /Syncing .*-wal failed/)
  FileHandleProto.datasync = datasync
  await t.rejects(sql`insert into t values (2)`.execute(handle.db), /Syncing .*-wal failed/, 'a later sync that succeeds proves nothing')
  await handle.db.destroy()
})
