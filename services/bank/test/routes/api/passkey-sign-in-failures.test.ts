import { test } from 'tap'
import { listSecurityEvents } from '../../../src/domain/security/security-events.js'
import { buildTestApp, loginAs, testClock } from '../../helper.js'
import { RP, registerPasskey, registrationOptions, signInOptions } from '../../support/passkeys.js'
import { SoftAuthenticator } from '../../support/soft-authenticator.js'

const FIREFOX = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' }

test('a refused passkey sign-in is a failed sign-in in the owner\'s activity, and the caller learns only "401"', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop', { counter: false })
  const login = (credential: unknown) => app.inject({ method: 'POST', url: '/api/auth/passkey/login', headers: FIREFOX, payload: { credential } })

  const used = key.get(await signInOptions(app))
  t.equal((await login(used)).statusCode, 200, 'the first use signs in')
  const handleOfBob = key.get(await signInOptions(app))
  handleOfBob.response.userHandle = Buffer.from('someone-else').toString('base64url')
  // A minute apart: refusals are recorded at most once a minute per customer (the next test).
  const later = <T>(value: T) => { clock.advance(61); return value }
  const refusals = {
    replayed: await login(used),
    'another origin': await login(later(key.get(await signInOptions(app), { origin: 'https://nestegg-login.example' }))),
    'another RP ID': await login(later(key.get(await signInOptions(app), { rpId: 'evil.example' }))),
    'no user verification': await login(later(key.get(await signInOptions(app), { noUserVerification: true }))),
    'a user handle naming someone else': await login(later(handleOfBob))
  }
  const bodies = Object.entries(refusals).map(([why, response]) => {
    t.equal(response.statusCode, 401, why)
    t.notOk(response.cookies.some((cookie) => cookie.name === 'nestegg_access'), `${why}: no session`)
    return response.body
  })
  t.same(new Set(bodies).size, 1, 'one answer for every check that failed')
  t.same(JSON.parse(bodies[0] ?? '{}'), { statusCode: 401, code: 'BANK_PASSKEY_REJECTED', error: 'Unauthorized', message: 'The passkey could not be verified' })

  const failed = (await listSecurityEvents(app.database.db, alice.id)).filter((event) => event.type === 'signin.failed')
  t.equal(failed.length, Object.keys(refusals).length, 'each refusal recorded once, for the passkey\'s owner')
  t.ok(failed.every((event) => event.method === 'passkey' && event.device === 'Firefox on Linux' && event.detail === null),
    'method passkey and the device; which check failed stays in the log, not the activity')

  const page = await app.inject({ url: '/security/activity', headers: { ...alice.bearer, accept: 'text/html' } })
  t.equal(page.statusCode, 200)
  t.match(page.body, /<tr data-type="signin\.failed">\s*<td data-label="What">Failed sign-in attempt<\/td>\s*<td data-label="How">passkey<\/td>/,
    'the customer sees it on /security/activity')
})

test('an assertion from a credential the bank does not know is refused the same way and recorded for nobody', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  await registerPasskey(app, alice, 'Laptop')
  // Never registered, though it claims Alice's user handle: the handle of an unknown credential is
  // the caller's word alone, so it cannot put a line in Alice's activity.
  const stranger = new SoftAuthenticator(RP)
  stranger.create(await registrationOptions(app, alice))
  const response = await app.inject({ method: 'POST', url: '/api/auth/passkey/login', payload: { credential: stranger.get(await signInOptions(app)) } })
  t.equal(response.statusCode, 401)
  t.equal(response.json().code, 'BANK_PASSKEY_REJECTED')
  const failures = await app.database.db.selectFrom('security_events').select('user_id').where('type', '=', 'signin.failed').execute()
  t.same(failures, [], 'no customer is named by an unknown credential')
})

test('when the refusal cannot be recorded, the caller still gets the 401', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop')
  const record = app.passkeys.recordRefusedSignIn
  app.passkeys.recordRefusedSignIn = async () => { throw new Error('database unavailable') }
  t.teardown(() => { app.passkeys.recordRefusedSignIn = record })
  const options = await signInOptions(app)
  const replayed = key.get(options)
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/passkey/login', payload: { credential: replayed } })).statusCode, 200, 'the first use signs in')
  const response = await app.inject({ method: 'POST', url: '/api/auth/passkey/login', payload: { credential: replayed } })
  t.equal(response.statusCode, 401, 'a replay is refused: not a 500')
  t.equal(response.json().code, 'BANK_PASSKEY_REJECTED')
})

test('refusals are written into the owner\'s activity at most once a minute: a credential ID is all it takes to cause one', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop')
  const refused = async () => {
    const response = await app.inject({ method: 'POST', url: '/api/auth/passkey/login', payload: { credential: key.get(await signInOptions(app), { rpId: 'evil.example' }) } })
    t.equal(response.statusCode, 401)
  }
  const recorded = async () => (await listSecurityEvents(app.database.db, alice.id)).filter((event) => event.type === 'signin.failed').length
  for (let i = 0; i < 5; i++) await refused()
  t.equal(await recorded(), 1, 'five refusals within a minute: one line')
  clock.advance(59)
  await refused()
  t.equal(await recorded(), 1, '59 s after it: still one')
  clock.advance(2)
  await refused()
  t.equal(await recorded(), 2, 'a minute after the first: the next is written')
})
