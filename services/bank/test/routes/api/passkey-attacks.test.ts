import { test } from 'tap'
import { buildTestApp, loginAs, testClock } from '../../helper.js'
import { RP, finishRegistration, passkeyLogin, registerPasskey, registrationOptions, signInOptions, signInWith } from '../../support/passkeys.js'
import { SoftAuthenticator } from '../../support/soft-authenticator.js'

test('a replayed assertion is refused: its challenge was spent by the first use', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop', { counter: false })
  const assertion = key.get(await signInOptions(app))
  t.equal((await passkeyLogin(app, assertion)).statusCode, 200)
  const replay = await passkeyLogin(app, assertion)
  t.equal(replay.statusCode, 401)
  t.equal(replay.json().code, 'BANK_PASSKEY_REJECTED')
})

test('an assertion whose counter did not grow is refused, though its challenge is fresh', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  t.equal((await signInWith(app, key)).statusCode, 200, 'counter 2 after registration at 1')
  // A cloned authenticator, or a recorded signature re-signed over a new challenge, answers with an old count.
  const stale = await passkeyLogin(app, key.get(await signInOptions(app), { counter: key.counter }))
  t.equal(stale.statusCode, 401, 'the same counter again')
  const lower = await passkeyLogin(app, key.get(await signInOptions(app), { counter: 1 }))
  t.equal(lower.statusCode, 401, 'a lower counter')
  t.equal((await signInWith(app, key)).statusCode, 200, 'the real authenticator, counting on, still signs in')
})

test('an assertion made for another origin (a phishing site) is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  t.equal((await signInWith(app, key, { origin: 'http://localhost:3001' })).statusCode, 401, 'another port is another origin')
  t.equal((await signInWith(app, key, { origin: 'https://nestegg-login.example' })).statusCode, 401)
})

test('an assertion scoped to another RP ID is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  t.equal((await signInWith(app, key, { rpId: 'evil.example' })).statusCode, 401)
})

test('registration for the wrong origin or RP ID, or without user verification, is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  for (const tweaks of [{ origin: 'https://evil.example' }, { rpId: 'evil.example' }, { noUserVerification: true }]) {
    const key = new SoftAuthenticator(RP)
    const response = await finishRegistration(app, alice, key.create(await registrationOptions(app, alice), tweaks))
    t.equal(response.statusCode, 400, JSON.stringify(tweaks))
  }
  t.same((await app.inject({ url: '/api/passkeys', headers: alice.bearer })).json(), [], 'nothing was stored')
})

test('a sign-in without user verification is refused (a tap is not a passkey sign-in)', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  t.equal((await signInWith(app, key, { noUserVerification: true })).statusCode, 401)
})

test('a challenge serves only its own ceremony and customer', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const bob = await loginAs(app, 'bob')
  const key = await registerPasskey(app, alice)

  // A registration challenge cannot be answered as a sign-in.
  const registration = await registrationOptions(app, alice)
  t.equal((await passkeyLogin(app, key.get({ challenge: registration.challenge }))).statusCode, 401, 'registration challenge used to sign in')

  // A challenge nobody issued.
  t.equal((await passkeyLogin(app, key.get({ challenge: 'bm90LWlzc3VlZC1ieS10aGUtYmFuaw' }))).statusCode, 401, 'invented challenge')

  // Bob's registration challenge, answered in Alice's session, registers nothing.
  const bobs = await registrationOptions(app, bob)
  const stolen = await finishRegistration(app, alice, new SoftAuthenticator(RP).create(bobs))
  t.equal(stolen.statusCode, 400, 'another customer\'s challenge')
  // Nor does a challenge of another session of the same customer.
  const otherSession = await registrationOptions(app, alice)
  const aliceAgain = { ...alice, bearer: { authorization: `Bearer ${(await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'alice', password: 'correct horse battery staple' } })).json().accessToken}` } }
  const crossSession = await finishRegistration(app, aliceAgain, new SoftAuthenticator(RP).create(otherSession))
  t.equal(crossSession.statusCode, 400, 'another session\'s challenge')

  // A sign-in challenge cannot finish a registration.
  const signIn = await signInOptions(app)
  const asRegistration = await finishRegistration(app, alice, new SoftAuthenticator(RP).create({ challenge: signIn.challenge, user: registration.user }))
  t.equal(asRegistration.statusCode, 400, 'sign-in challenge used to register')
})

test('a challenge expires after five minutes', async (t) => {
  const clock = testClock()
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  const options = await signInOptions(app)
  clock.advance(5 * 60 + 1)
  t.equal((await passkeyLogin(app, key.get(options))).statusCode, 401)
})

test('an assertion whose user handle names someone else is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  const assertion = key.get(await signInOptions(app))
  assertion.response.userHandle = Buffer.from('someone-else').toString('base64url')
  t.equal((await passkeyLogin(app, assertion)).statusCode, 401)
})
