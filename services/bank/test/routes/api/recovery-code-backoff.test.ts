import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { listSecurityEvents } from '../../../src/domain/security/security-events.js'
import { PASSWORD, buildTestApp, loginAs } from '../../helper.js'

const WRONG_CODE = 'AAAA-BBBB-CCCC'
const WRONG_PASSWORD = 'not the password, but long'
const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }

function fakeClock () {
  const clock = { ms: Date.now(), now: () => clock.ms }
  return clock
}

const recoveryLogin = (app: FastifyInstance, username: string, code: string) =>
  app.inject({ method: 'POST', url: '/api/auth/recovery-login', headers: FIREFOX, payload: { username, code } })
const passwordLogin = (app: FastifyInstance, username: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })

/** A customer with a fresh set of recovery codes. */
async function withCodes (app: FastifyInstance, username: string): Promise<{ id: string, codes: string[] }> {
  const user = await loginAs(app, username)
  const made = await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: user.bearer })
  if (made.statusCode !== 201) throw new Error(`recovery codes: ${made.statusCode} ${made.body}`)
  return { id: user.id, codes: (made.json() as { codes: string[] }).codes }
}

test('after five wrong recovery codes the username waits, known or unknown alike, even with a right code', async (t) => {
  const clock = fakeClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const ivan = await withCodes(app, 'ivan')
  const right = ivan.codes[0] ?? ''
  for (let i = 0; i < 5; i++) {
    t.equal((await recoveryLogin(app, 'ivan', WRONG_CODE)).statusCode, 401)
    t.equal((await recoveryLogin(app, 'nobody_here', WRONG_CODE)).statusCode, 401)
  }
  const known = await recoveryLogin(app, 'ivan', WRONG_CODE)
  const unknown = await recoveryLogin(app, 'nobody_here', WRONG_CODE)
  t.equal(known.statusCode, 429)
  t.equal(known.json().code, 'BANK_LOGIN_THROTTLED')
  t.equal(known.headers['retry-after'], '1')
  t.same(known.json(), unknown.json(), 'the same answer: nothing says whether the account exists')
  t.equal(unknown.headers['retry-after'], '1')

  const early = await recoveryLogin(app, 'ivan', right)
  t.equal(early.statusCode, 429, 'a right code is refused too while the wait lasts')
  t.notOk(early.cookies.some((cookie) => cookie.name === 'nestegg_access'))
  t.equal(await app.recoveryCodes.remaining(ivan.id), 10, 'and is not spent by the refusal')

  clock.ms += 1000
  const after = await recoveryLogin(app, 'ivan', right)
  t.equal(after.statusCode, 200, 'the right code after the wait signs in')
  t.equal(await app.recoveryCodes.remaining(ivan.id), 9)
  t.equal((await recoveryLogin(app, 'ivan', WRONG_CODE)).statusCode, 401, 'a success starts the count again')

  const failed = (await listSecurityEvents(app.database.db, ivan.id)).filter((event) => event.type === 'signin.failed')
  t.equal(failed.length, 6, 'each wrong code judged is a failed sign-in (the five, and one after the success)')
  t.ok(failed.every((event) => event.method === 'recovery_code' && event.device === 'Firefox on Linux'))
})

test('passwords and recovery codes share one budget per username', async (t) => {
  const { app } = await buildTestApp(t, {}, { clock: fakeClock().now })
  const { codes } = await withCodes(app, 'judy')
  for (let i = 0; i < 3; i++) t.equal((await passwordLogin(app, 'judy', WRONG_PASSWORD)).statusCode, 401)
  t.equal((await recoveryLogin(app, ' Judy ', WRONG_CODE)).statusCode, 401, 'the code path trims and folds case, as the page does')
  t.equal((await recoveryLogin(app, 'JUDY', WRONG_CODE)).statusCode, 401)
  t.equal((await passwordLogin(app, 'judy', PASSWORD)).statusCode, 429, 'five failures of either kind: the password waits')
  t.equal((await recoveryLogin(app, 'judy', codes[0] ?? '')).statusCode, 429, 'and so does a code')
  const row = await app.database.db.selectFrom('login_throttle').select('failures').where('username', '=', 'judy').executeTakeFirstOrThrow()
  t.equal(row.failures, 5, 'one row, counted together')
})
