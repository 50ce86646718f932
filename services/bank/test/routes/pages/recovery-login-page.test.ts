import { test } from 'tap'
import { pageClient } from '../../page-client.js'
import { buildTestApp, loginAs } from '../../helper.js'

const WRONG_CODE = 'AAAA-BBBB-CCCC'

function fakeClock () {
  const clock = { ms: Date.now(), now: () => clock.ms }
  return clock
}

/** A customer with a fresh set of recovery codes. */
async function withCodes (app: Parameters<typeof loginAs>[0], username: string): Promise<{ codes: string[] }> {
  const user = await loginAs(app, username)
  const made = await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: user.bearer })
  if (made.statusCode !== 201) throw new Error(`recovery codes: ${made.statusCode} ${made.body}`)
  return made.json() as { codes: string[] }
}

// The per-username backoff on recovery codes through the API: test/routes/api/recovery-code-backoff.test.ts.
test('the /login/recovery page answers the wait with 429 and Retry-After, then lets a right code in', async (t) => {
  const clock = fakeClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const { codes } = await withCodes(app, 'kate')
  const browser = pageClient(app)
  await browser.get('/login/recovery')
  for (let i = 0; i < 5; i++) {
    const wrong = await browser.post('/login/recovery', { username: 'kate', code: WRONG_CODE })
    t.equal(wrong.statusCode, 401)
    t.match(wrong.body, 'Invalid username or recovery code.')
  }
  const waiting = await browser.post('/login/recovery', { username: 'kate', code: codes[0] ?? '' })
  t.equal(waiting.statusCode, 429)
  t.equal(waiting.headers['retry-after'], '1')
  t.match(waiting.headers['content-type'], /text\/html/)
  t.match(waiting.body, /Too many failed logins for this username; try again in 1 seconds/)
  t.notOk(waiting.cookies.some((cookie) => cookie.name === 'nestegg_access'), 'no session')

  clock.ms += 1000
  await browser.get('/login/recovery')
  const right = await browser.post('/login/recovery', { username: 'kate', code: codes[0] ?? '' })
  t.equal(right.statusCode, 303, 'the same code after the wait')
  t.equal(right.headers.location, '/security')
})
