import type { FastifyInstance } from 'fastify'
import { test } from 'tap'
import { buildTestApp, loginAs, testClock, type LoggedIn } from '../../helper.js'
import { registerPasskey, signInWith } from '../../support/passkeys.js'
import type { SoftAuthenticator } from '../../support/soft-authenticator.js'

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
const removeKey = (app: FastifyInstance, user: { bearer: Record<string, string> }, id: string) =>
  app.inject({ method: 'DELETE', url: `/api/passkeys/${id}`, headers: user.bearer })

async function stepUpWith (app: FastifyInstance, user: LoggedIn, key: SoftAuthenticator) {
  const options = await app.inject({ method: 'POST', url: '/api/auth/passkey/step-up-options', headers: user.bearer })
  if (options.statusCode !== 200) throw new Error(`step-up options: ${options.statusCode} ${options.body}`)
  return app.inject({ method: 'POST', url: '/api/auth/passkey/step-up', headers: user.bearer, payload: { credential: key.get(options.json()) } })
}

test('removing a passkey asks for a step-up (RFC 9470); a passkey step-up raises the same session', async (t) => {
  const { app } = await buildTestApp(t, { STEP_UP_ACR: 'nestegg:passkey' })
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop')

  const refused = await removeKey(app, alice, key.id)
  t.equal(refused.statusCode, 401, 'a password sign-in does not meet nestegg:passkey')
  t.equal(refused.json().code, 'STEP_UP_REQUIRED')
  t.match(refused.headers['www-authenticate'], /error="insufficient_user_authentication".*acr_values="nestegg:passkey".*max_age=300/)
  const unknown = await removeKey(app, alice, 'bm8tc3VjaC1wYXNza2V5')
  t.equal(unknown.statusCode, 401, 'the step-up is asked before the passkey is looked up')

  const raised = await stepUpWith(app, alice, key)
  t.equal(raised.statusCode, 200, raised.body)
  const token = (raised.json() as { accessToken: string }).accessToken
  const claims = claimsOf(token)
  t.same(claims.amr, ['hwk', 'user'])
  t.equal(claims.acr, 'nestegg:passkey')
  t.equal(claims.sid, claimsOf(alice.token).sid, 'the same session, raised')
  t.ok(raised.cookies.some((cookie) => cookie.name === 'nestegg_access'), 'the browser gets the new access cookie')

  const removed = await removeKey(app, { bearer: { authorization: `Bearer ${token}` } }, key.id)
  t.equal(removed.statusCode, 204, removed.body)

  const refreshed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: alice.refreshToken } })
  t.equal(refreshed.statusCode, 200, refreshed.body)
  t.equal(claimsOf((refreshed.json() as { accessToken: string }).accessToken).acr, 'nestegg:passkey', 'a refresh keeps the raised level')
})

test('with the default rule a stale password sign-in must step up to remove a passkey', async (t) => {
  // Sessions start on a clock ten minutes behind: their sign-in is older than the 300 s rule.
  const clock = testClock(Date.now() - 600_000)
  const { app } = await buildTestApp(t, {}, { clock: clock.now })
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice)
  const refused = await removeKey(app, alice, key.id)
  t.equal(refused.statusCode, 401)
  t.match(refused.headers['www-authenticate'], 'acr_values="nestegg:pwd"')
})

test('a step-up is the caller\'s own: another customer\'s passkey raises nothing', async (t) => {
  const { app } = await buildTestApp(t, { STEP_UP_ACR: 'nestegg:passkey' })
  const alice = await loginAs(app, 'alice')
  const bob = await loginAs(app, 'bob')
  const aliceKey = await registerPasskey(app, alice)
  const bobKey = await registerPasskey(app, bob)

  const bobInAlice = await stepUpWith(app, alice, bobKey)
  t.equal(bobInAlice.statusCode, 401, 'Bob\'s passkey cannot step up Alice\'s session')
  const aliceInBob = await stepUpWith(app, bob, aliceKey)
  t.equal(aliceInBob.statusCode, 401, 'nor Alice\'s passkey Bob\'s')
  t.equal((await removeKey(app, alice, aliceKey.id)).statusCode, 401, 'Alice\'s session is still at the password level')

  // A step-up challenge of Alice's session, answered in Bob's: the challenge is bound to its session.
  const aliceOptions = (await app.inject({ method: 'POST', url: '/api/auth/passkey/step-up-options', headers: alice.bearer })).json()
  const crossed = await app.inject({ method: 'POST', url: '/api/auth/passkey/step-up', headers: bob.bearer, payload: { credential: bobKey.get(aliceOptions) } })
  t.equal(crossed.statusCode, 401)
  // And a sign-in assertion cannot serve as a step-up.
  const signIn = (await app.inject({ method: 'POST', url: '/api/auth/passkey/options', payload: {} })).json()
  const asStepUp = await app.inject({ method: 'POST', url: '/api/auth/passkey/step-up', headers: alice.bearer, payload: { credential: aliceKey.get(signIn) } })
  t.equal(asStepUp.statusCode, 401)
})

test('passkeys and recovery codes leave their trace in the security activity', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const key = await registerPasskey(app, alice, 'Laptop')
  t.equal((await signInWith(app, key)).statusCode, 200)
  t.equal((await stepUpWith(app, alice, key)).statusCode, 200)
  const { codes } = (await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: alice.bearer })).json() as { codes: string[] }
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/recovery-login', payload: { username: 'alice', code: codes[0] } })).statusCode, 200)
  t.equal((await removeKey(app, alice, key.id)).statusCode, 204)

  const events = await app.database.db.selectFrom('security_events').select(['type', 'method', 'detail'])
    .where('user_id', '=', alice.id).orderBy('occurred_at').execute()
  // Several can share a millisecond: compared as a set.
  const seen = events.map((event) => JSON.stringify([event.type, event.method, event.detail])).sort()
  t.same(seen, [
    ['signin', 'password', null],
    ['passkey.added', null, 'Laptop'],
    ['signin', 'passkey', null],
    ['step_up', 'passkey', null],
    ['recovery_code.used', null, '9 left'],
    ['signin', 'recovery_code', null],
    ['passkey.removed', null, 'Laptop']
  ].map((event) => JSON.stringify(event)).sort())
})
