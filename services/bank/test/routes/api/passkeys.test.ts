import { test } from 'tap'
import { buildTestApp, loginAs } from '../../helper.js'
import { RP, registerPasskey, registrationOptions, signInOptions, signInWith } from '../../support/passkeys.js'

function claimsOf (token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())
}

test('a customer registers a passkey and signs in with it, naming no user', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')

  const options = await registrationOptions(app, alice)
  t.equal(options.rp.id, RP.rpId, 'the RP ID comes from the bank URL')
  t.equal(options.authenticatorSelection.residentKey, 'required', 'a discoverable credential')
  t.equal(options.authenticatorSelection.userVerification, 'required')

  const key = await registerPasskey(app, alice, 'Laptop')
  const list = await app.inject({ url: '/api/passkeys', headers: alice.bearer })
  t.equal(list.statusCode, 200)
  const [passkey] = list.json() as Array<{ id: string, name: string, createdAt: string, lastUsedAt: string | null }>
  t.match(passkey, { id: key.id, name: 'Laptop', lastUsedAt: null })
  t.ok(Date.parse(passkey?.createdAt ?? '') > 0, 'shows when it was created')
  t.notOk('publicKey' in (passkey ?? {}), 'the public key stays in the bank')

  const request = await signInOptions(app)
  t.equal(request.userVerification, 'required')
  t.same(request.allowCredentials ?? [], [], 'no credential list: the passkey names the user')
  const login = await signInWith(app, key)
  t.equal(login.statusCode, 200, login.body)
  const { accessToken } = login.json() as { accessToken: string }
  const claims = claimsOf(accessToken)
  t.equal(claims.sub, alice.id, 'the token is for the passkey\'s owner')
  t.same(claims.amr, ['hwk', 'user'], 'amr: a hardware-bound key, user verified (RFC 8176)')
  t.equal(claims.acr, 'nestegg:passkey')
  t.ok(Math.abs(Number(claims.auth_time) - Date.now() / 1000) < 60, 'auth_time is the sign-in, in seconds')
  t.ok(login.cookies.some((cookie) => cookie.name === 'nestegg_refresh'), 'a session started, with its refresh cookie')

  const after = (await app.inject({ url: '/api/passkeys', headers: alice.bearer })).json() as Array<{ lastUsedAt: string | null }>
  t.ok(after[0]?.lastUsedAt !== null, 'the sign-in shows as the last use')
})

test('a customer can hold several passkeys, each signs in, and one is removed', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const laptop = await registerPasskey(app, alice, 'Laptop')
  const phone = await registerPasskey(app, alice, 'Phone', { counter: false })
  t.equal((await signInWith(app, laptop)).statusCode, 200)
  t.equal((await signInWith(app, phone)).statusCode, 200, 'an authenticator without a counter signs in')
  t.equal((await signInWith(app, phone)).statusCode, 200, 'and again: a counter of 0 is no replay')

  const removed = await app.inject({ method: 'DELETE', url: `/api/passkeys/${laptop.id}`, headers: alice.bearer })
  t.equal(removed.statusCode, 204, removed.body)
  const names = ((await app.inject({ url: '/api/passkeys', headers: alice.bearer })).json() as Array<{ name: string }>).map((p) => p.name)
  t.same(names, ['Phone'])
  t.equal((await signInWith(app, laptop)).statusCode, 401, 'a removed passkey no longer signs in')
})

test('a passkey is the registering customer\'s alone: another cannot remove it, nor register it twice', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const bob = await loginAs(app, 'bob')
  const key = await registerPasskey(app, alice)

  const byBob = await app.inject({ method: 'DELETE', url: `/api/passkeys/${key.id}`, headers: bob.bearer })
  t.equal(byBob.statusCode, 404, 'someone else\'s passkey is "not found"')
  t.equal((await signInWith(app, key)).statusCode, 200, 'and it still works')

  const again = await app.inject({ method: 'POST', url: '/api/passkeys', headers: bob.bearer, payload: { name: 'Stolen', credential: key.create(await registrationOptions(app, bob)) } })
  t.equal(again.statusCode, 400, 'a credential ID already registered is refused')
})

test('registration refuses bad input with a clear 4xx', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const noAuth = await app.inject({ method: 'POST', url: '/api/passkeys/registration-options' })
  t.equal(noAuth.statusCode, 401)
  const noName = await app.inject({ method: 'POST', url: '/api/passkeys', headers: alice.bearer, payload: { name: '', credential: {} } })
  t.equal(noName.statusCode, 400)
  const garbage = await app.inject({
    method: 'POST',
    url: '/api/passkeys',
    headers: alice.bearer,
    payload: { name: 'Key', credential: { id: 'abc', rawId: 'abc', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'AA' }, clientExtensionResults: {} } }
  })
  t.equal(garbage.statusCode, 400)
  t.equal(garbage.json().code, 'BANK_PASSKEY_REGISTRATION_FAILED')
})
