import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import t from 'tap'
import { buildApp } from '../../../src/app.js'
import { PASSWORD, buildTestApp, signup } from '../../helper.js'

const WRONG = 'not the password, but long'

function fakeClock () {
  const clock = { ms: Date.now(), now: () => clock.ms }
  return clock
}

const login = (app: FastifyInstance, username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })

t.test('after five failures the username waits, known or unknown alike, even with the right password', async (t) => {
  const clock = fakeClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  await signup(app, 'ivan')
  for (let i = 0; i < 5; i++) {
    t.equal((await login(app, 'ivan', WRONG)).statusCode, 401)
    t.equal((await login(app, 'nobody_here', WRONG)).statusCode, 401)
  }
  const known = await login(app, 'ivan', WRONG)
  const unknown = await login(app, 'nobody_here', WRONG)
  t.equal(known.statusCode, 429)
  t.same(known.json(), unknown.json(), 'the same answer: nothing says whether the account exists')
  t.equal(known.json().code, 'BANK_LOGIN_THROTTLED')
  t.equal(known.headers['retry-after'], '1')
  t.equal(unknown.headers['retry-after'], '1')
  const right = await login(app, 'ivan', PASSWORD)
  t.equal(right.statusCode, 429, 'the right password is refused too while the wait lasts')
  t.notOk(right.cookies.some((cookie) => cookie.name === 'nestegg_access'))

  clock.ms += 1000
  t.equal((await login(app, 'ivan', WRONG)).statusCode, 401, 'one more try after the wait…')
  t.equal((await login(app, 'ivan', WRONG)).headers['retry-after'], '2', '…and the next wait doubles')
  clock.ms += 2000
  t.equal((await login(app, 'ivan', PASSWORD)).statusCode, 200, 'the right password after the wait')
  t.equal((await login(app, 'ivan', WRONG)).statusCode, 401, 'a success starts the count again')
  t.equal((await app.database.db.selectFrom('login_throttle').select('failures').where('username', '=', 'ivan').executeTakeFirstOrThrow()).failures, 1)
})

t.test('usernames are counted case-insensitively, as login matches them', async (t) => {
  const { app } = await buildTestApp(t, {}, { clock: fakeClock().now })
  for (let i = 0; i < 5; i++) await login(app, i % 2 === 0 ? 'Judy' : 'JUDY', WRONG)
  t.equal((await login(app, 'judy', WRONG)).statusCode, 429)
})

t.test('the backoff is in the database: a second copy of the bank sharing it refuses too', async (t) => {
  const clock = fakeClock()
  // In-memory SQLite cannot be shared: use a file, unless the tests run on PostgreSQL.
  const file = `sqlite:${join(mkdtempSync(join(tmpdir(), 'nestegg-backoff-')), 'bank.db')}`
  const one = await buildTestApp(t, process.env.TEST_BANK_DATABASE_URL ? {} : { DATABASE_URL: file }, { clock: clock.now })
  for (let i = 0; i < 5; i++) t.equal((await login(one.app, 'kate', WRONG)).statusCode, 401)
  const two = await buildApp(one.config, { logger: false, backchannel: false, clock: clock.now })
  try {
    t.equal((await login(two, 'kate', WRONG)).statusCode, 429, 'the other copy sees the failures')
  } finally {
    await two.close()
  }
})

t.test('a burst of parallel guesses is cut off once its failures are counted', async (t) => {
  const { app } = await buildTestApp(t, {}, { clock: fakeClock().now, hashConcurrency: 1 })
  await signup(app, 'leo')
  // All twelve pass the check before hashing at once; the check after hashing stops the rest as soon
  // as five failures are recorded (one or two more may be judged while the last records commit).
  const answers = await Promise.all(Array.from({ length: 12 }, () => login(app, 'leo', WRONG)))
  const statuses = answers.map((answer) => answer.statusCode)
  const judged = statuses.filter((status) => status === 401).length
  t.ok(judged >= 5 && judged <= 8, `${judged} of 12 were judged (${statuses.join(' ')})`)
  t.ok(statuses.every((status) => status === 401 || status === 429), 'the others are 429')
  t.equal((await login(app, 'leo', PASSWORD)).statusCode, 429, 'the right password after the burst waits too')
})
