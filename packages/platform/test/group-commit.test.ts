import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Kysely, sql } from 'kysely'
import t, { type Test } from 'tap'
import { type DatabaseHandle, openDatabase, parseDatabaseUrl } from '../src/database.js'
import { createGroupCommit } from '../src/group-commit.js'
import { type AccountsFixture as Accounts, accountBalances as balances, openAccountsFixture } from '../src/testing.js'

// Runs on a SQLite file by default and on PostgreSQL when TEST_PLATFORM_DATABASE_URL names a server.

async function openAccounts (t: Test, balances: Record<string, number>): Promise<DatabaseHandle<Accounts>> {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-group-'))
  const { database, close } = await openAccountsFixture(process.env.TEST_PLATFORM_DATABASE_URL ?? `sqlite:${join(dir, 'group.db')}`, t.name, balances)
  t.teardown(async () => {
    await close()
    rmSync(dir, { recursive: true, force: true })
  })
  return database
}

async function move (trx: Kysely<Accounts>, from: string, to: string, cents: number): Promise<string> {
  await trx.updateTable('accounts').set((eb) => ({ balance: eb('balance', '+', cents) })).where('id', '=', to).execute()
  // Fails on the CHECK when the balance would go below zero, after the credit: a half-done unit.
  await trx.updateTable('accounts').set((eb) => ({ balance: eb('balance', '-', cents) })).where('id', '=', from).execute()
  return `${from}->${to}:${cents}`
}

t.test('units that arrive together share one commit; a failing unit rolls back only itself', async (t) => {
  const handle = await openAccounts(t, { a: 100, b: 0 })
  const group = createGroupCommit(handle)
  const results = await Promise.allSettled([
    group.run((trx) => move(trx, 'a', 'b', 30)),
    group.run((trx) => move(trx, 'a', 'b', 500)), // insufficient: its credit to b must be undone
    group.run((trx) => move(trx, 'a', 'b', 20))
  ])
  t.same(results.map((result) => result.status), ['fulfilled', 'rejected', 'fulfilled'])
  t.equal((results[0] as PromiseFulfilledResult<string>).value, 'a->b:30')
  t.same(await balances(handle.db), { a: 50, b: 50 }, 'the two good units are booked, nothing of the bad one')
  if (handle.engine === 'sqlite') {
    t.same(group.stats(), { commits: 1, units: 3, largestBatch: 3 }, 'one commit for the three')
  }
})

t.test('a unit is answered only after its commit: nothing resolves before the data is committed', { skip: process.env.TEST_PLATFORM_DATABASE_URL !== undefined && 'SQLite only' }, async (t) => {
  const handle = await openAccounts(t, { a: 100, b: 0 })
  const group = createGroupCommit(handle)
  const seenByAnother: Array<Record<string, number>> = []
  const reader = openDatabase<Accounts>(parseDatabaseUrl(handle.location === ':memory:' ? 'sqlite::memory:' : `sqlite:${handle.location}`, ':memory:'))
  t.teardown(() => reader.db.destroy())
  const first = group.run((trx) => move(trx, 'a', 'b', 10)).then(async () => { seenByAnother.push(await balances(reader.db)) })
  const second = group.run((trx) => move(trx, 'a', 'b', 10)).then(async () => { seenByAnother.push(await balances(reader.db)) })
  await Promise.all([first, second])
  t.same(seenByAnother, [{ a: 80, b: 20 }, { a: 80, b: 20 }], 'another connection sees the whole batch when any unit is answered')
})

t.test('batches are bounded: at most maxBatch units per commit', { skip: process.env.TEST_PLATFORM_DATABASE_URL !== undefined && 'SQLite only' }, async (t) => {
  const handle = await openAccounts(t, { a: 1000, b: 0 })
  const group = createGroupCommit(handle, { maxBatch: 4 })
  await Promise.all(Array.from({ length: 10 }, () => group.run((trx) => move(trx, 'a', 'b', 1))))
  t.same(group.stats(), { commits: 3, units: 10, largestBatch: 4 })
  t.same(await balances(handle.db), { a: 990, b: 10 })
})

t.test('a wait window gathers units that arrive within it', { skip: process.env.TEST_PLATFORM_DATABASE_URL !== undefined && 'SQLite only' }, async (t) => {
  const handle = await openAccounts(t, { a: 1000, b: 0 })
  const group = createGroupCommit(handle, { maxWaitMs: 250 })
  const first = group.run((trx) => move(trx, 'a', 'b', 1))
  await new Promise((resolve) => setTimeout(resolve, 5))
  await Promise.all([first, group.run((trx) => move(trx, 'a', 'b', 1))])
  t.same(group.stats(), { commits: 1, units: 2, largestBatch: 2 })
})

t.test('when the commit fails, every unit of the batch fails and nothing is booked', { skip: process.env.TEST_PLATFORM_DATABASE_URL !== undefined && 'SQLite only' }, async (t) => {
  const handle = await openAccounts(t, { a: 100, b: 0 })
  const group = createGroupCommit(handle)
  // A deferred foreign key fails at COMMIT, after every unit has succeeded.
  await sql`create table notes (account_id varchar(16) references accounts(id) deferrable initially deferred)`.execute(handle.db)
  await sql`pragma foreign_keys = on`.execute(handle.db)
  const results = await Promise.allSettled([
    group.run((trx) => move(trx, 'a', 'b', 10)),
    group.run(async (trx) => { await sql`insert into notes values ('nobody')`.execute(trx) })
  ])
  t.same(results.map((result) => result.status), ['rejected', 'rejected'])
  t.same(await balances(handle.db), { a: 100, b: 0 })
  t.equal(group.stats().commits, 0)
})
