import type { Kysely } from 'kysely'
import t, { type Test } from 'tap'
import { type DatabaseHandle, writeTransaction } from '../src/database.js'
import { type AccountsFixture as Accounts, accountBalances as balances, openAccountsFixture } from '../src/testing.js'

// Runs on SQLite by default and on PostgreSQL when TEST_PLATFORM_DATABASE_URL names a server
// (.ci/with-postgres sets it).

async function openAccounts (t: Test, balances: Record<string, number>): Promise<DatabaseHandle<Accounts>> {
  const { database, close } = await openAccountsFixture(process.env.TEST_PLATFORM_DATABASE_URL, t.name, balances)
  t.teardown(close)
  return database
}

/** A withdrawal as the ledger should write one: a conditional update that either applies or does not. */
async function withdraw (trx: Kysely<Accounts>, id: string, cents: number): Promise<boolean> {
  const result = await trx.updateTable('accounts')
    .set((eb) => ({ balance: eb('balance', '-', cents) }))
    .where('id', '=', id)
    .where('balance', '>=', cents)
    .executeTakeFirst()
  return result.numUpdatedRows === 1n
}

t.test('concurrent conditional withdrawals never overdraw and lose no update', async (t) => {
  const handle = await openAccounts(t, { a: 100 })
  const outcomes = await Promise.all(Array.from({ length: 12 }, () =>
    writeTransaction(handle, (trx) => withdraw(trx, 'a', 30))))
  t.equal(outcomes.filter(Boolean).length, 3, 'exactly three withdrawals of 30 fit in 100')
  t.same(await balances(handle.db), { a: 10 })
})

class Declined extends Error {}

t.test('concurrent transfers both ways, locking rows in id order, conserve the total', async (t) => {
  const handle = await openAccounts(t, { a: 500, b: 500 })
  // Each transfer touches its two rows in id order whichever way the money goes, so on PostgreSQL
  // no two transfers wait for each other in a cycle (opposite orders deadlock and cost a retry).
  const transfer = (from: string, to: string) => writeTransaction(handle, async (trx) => {
    for (const id of [from, to].sort()) {
      if (id === from && !(await withdraw(trx, from, 7))) throw new Declined()
      if (id === to) await trx.updateTable('accounts').set((eb) => ({ balance: eb('balance', '+', 7) })).where('id', '=', to).execute()
    }
    return true
  }).catch((error: unknown) => {
    if (error instanceof Declined) return false
    throw error
  })
  const results = await Promise.all(Array.from({ length: 30 }, (_, i) => i % 2 === 0 ? transfer('a', 'b') : transfer('b', 'a')))
  t.ok(results.every(Boolean), 'every transfer applied')
  t.same(await balances(handle.db), { a: 500, b: 500 })
})

t.test('an error inside the work rolls everything back and is not retried', async (t) => {
  const handle = await openAccounts(t, { a: 100 })
  let attempts = 0
  await t.rejects(writeTransaction(handle, async (trx) => {
    attempts++
    await withdraw(trx, 'a', 40)
    throw new Error('business rule says no')
  }), /business rule says no/)
  t.equal(attempts, 1)
  t.same(await balances(handle.db), { a: 100 })
})

t.test('PostgreSQL: a deadlock is retried until the work succeeds', async (t) => {
  const handle = await openAccounts(t, { a: 100, b: 100 })
  if (handle.engine !== 'postgres') {
    // SQLite's BEGIN IMMEDIATE lets only one writer in at a time: this interleaving cannot happen.
    t.pass('SQLite serializes writers; nothing to retry')
    return
  }
  // Two transactions each lock one row, wait until the other has its row, then reach for the other
  // one: PostgreSQL must abort one of them (40P01), and writeTransaction must run it again.
  let attempts = 0
  let arrived = 0
  let release!: () => void
  const bothHoldALock = new Promise<void>((resolve) => { release = resolve })
  const crossing = (first: string, second: string) => writeTransaction(handle, async (trx) => {
    attempts++
    await withdraw(trx, first, 1)
    if (++arrived === 2) release()
    await bothHoldALock
    await withdraw(trx, second, 1)
  })
  await Promise.all([crossing('a', 'b'), crossing('b', 'a')])
  t.equal(attempts, 3, 'one of the two ran twice')
  t.same(await balances(handle.db), { a: 98, b: 98 })
})

t.test('PostgreSQL: serialization failures are retried a bounded number of times', async (t) => {
  const handle = await openAccounts(t, { a: 100 })
  if (handle.engine !== 'postgres') {
    t.pass('SQLite never reports a serialization failure')
    return
  }
  let attempts = 0
  const flaky = await writeTransaction(handle, async (trx) => {
    attempts++
    await withdraw(trx, 'a', 10)
    if (attempts < 3) throw Object.assign(new Error('could not serialize access'), { code: '40001' })
    return 'done'
  })
  t.equal(flaky, 'done')
  t.equal(attempts, 3)
  t.same(await balances(handle.db), { a: 90 }, 'the failed attempts left nothing behind')

  attempts = 0
  await t.rejects(writeTransaction(handle, async () => {
    attempts++
    throw Object.assign(new Error('could not serialize access'), { code: '40001' })
  }, 4), { code: '40001' })
  t.equal(attempts, 4, 'gives up after the attempts it was given')
})
