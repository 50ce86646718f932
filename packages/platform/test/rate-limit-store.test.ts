import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import rateLimit from '@fastify/rate-limit'
import Fastify, { type FastifyInstance } from 'fastify'
import t, { type Test } from 'tap'
import { type DatabaseHandle, migrateToLatest, openDatabase, parseDatabaseUrl } from '../src/database.js'
import { type RateLimitDatabase, databaseRateLimitStore, rateLimitCountersMigration } from '../src/rate-limit-store.js'
import { createTestDatabase } from '../src/testing.js'

// Two "copies" of a service: two Fastify apps, each with its own connection (pool) to one database
// (a SQLite file, or a PostgreSQL database when TEST_PLATFORM_DATABASE_URL names a server).

async function sharedDatabaseUrl (t: Test): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'nestegg-rate-limit-'))
  const database = await createTestDatabase(process.env.TEST_PLATFORM_DATABASE_URL ?? `sqlite:${join(dir, 'shared.db')}`, t.name)
  t.teardown(async () => {
    await database.drop()
    rmSync(dir, { recursive: true, force: true })
  })
  return database.url
}

async function copy (t: Test, url: string, clock: () => number): Promise<FastifyInstance> {
  const database: DatabaseHandle<RateLimitDatabase> = openDatabase(parseDatabaseUrl(url, ':memory:'))
  await migrateToLatest(database.db, { '0001-rate-limit-counters': rateLimitCountersMigration })
  const app = Fastify({ logger: false })
  await app.register(rateLimit, { global: false, store: databaseRateLimitStore(database.db, { clock }) })
  app.get('/login', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({ ok: true }))
  app.get('/signup', { config: { rateLimit: { max: 3, timeWindow: 60_000 } } }, async () => ({ ok: true }))
  // Closed before the database is dropped: teardowns run last-registered first.
  t.teardown(async () => {
    await app.close()
    await database.db.destroy()
  })
  return app
}

t.test('two copies sharing the database count against one limit', async (t) => {
  let now = 1_700_000_000_000
  const clock = () => now
  const url = await sharedDatabaseUrl(t)
  const [first, second] = [await copy(t, url, clock), await copy(t, url, clock)]

  const statuses: number[] = []
  for (const app of [first, second, first, second]) statuses.push((await app.inject('/login')).statusCode)
  t.same(statuses, [200, 200, 200, 429], 'the fourth request is refused, whichever copy it reaches')
  const refused = await first.inject('/login')
  t.equal(refused.statusCode, 429)
  t.equal(refused.headers['retry-after'], '60', 'the window started at the first request')

  t.equal((await second.inject('/signup')).statusCode, 200, 'another route has its own counter')

  now += 60_000
  t.equal((await second.inject('/login')).statusCode, 200, 'a new window starts when the old one has passed')
  t.equal((await first.inject('/login')).headers['x-ratelimit-remaining'], '1')
})

t.test('concurrent hits are all counted', async (t) => {
  const url = await sharedDatabaseUrl(t)
  const clock = () => 1_700_000_000_000
  const [first, second] = [await copy(t, url, clock), await copy(t, url, clock)]
  const responses = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? first : second).inject('/login')))
  t.equal(responses.filter((response) => response.statusCode === 200).length, 3)
  t.equal(responses.filter((response) => response.statusCode === 429).length, 7)
})

t.test('exponentialBackoff is refused, not silently ignored', async (t) => {
  const database = openDatabase<RateLimitDatabase>(parseDatabaseUrl('sqlite::memory:', ':memory:'))
  t.teardown(() => database.db.destroy())
  const Store = databaseRateLimitStore(database.db)
  t.throws(() => new Store({ exponentialBackoff: true } as never), /exponentialBackoff/)
})
