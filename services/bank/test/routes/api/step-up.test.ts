import { mintAccessToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { PASSWORD, accountsOf, buildTestApp, lateClock, login, loginAs, newKey, postTransfer, type LoggedIn } from '../../helper.js'

const CHALLENGE = 'Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is required", acr_values="nestegg:pwd", max_age=300'
const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString())

/** A bank whose logins are 10 minutes old (stale for the 300-second default) until `clock.catchUp()`. */
async function staleBank (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const clock = lateClock(600)
  const { app, config } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '1000000', ...env }, { clock: clock.now })
  return { app, config, clock }
}

async function stepUp (app: Awaited<ReturnType<typeof staleBank>>['app'], user: LoggedIn, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/auth/step-up', headers: user.bearer, payload: { password } })
}

t.test('a refresh keeps acr, amr and auth_time; it never makes a sign-in fresh', async (t) => {
  const { app, clock } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  const before = claimsOf(ann.token)
  t.same([before.amr, before.acr], [['pwd'], 'nestegg:pwd'])
  clock.catchUp()
  const refreshed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: ann.refreshToken } })
  t.equal(refreshed.statusCode, 200)
  const after = claimsOf(refreshed.json().accessToken)
  t.equal(after.auth_time, before.auth_time, 'auth_time copied')
  t.same([after.amr, after.acr, after.sid], [before.amr, before.acr, before.sid])
  t.ok(after.iat >= before.iat)
})

t.test('transfers: a stale sign-in gets the RFC 9470 challenge before any ledger rule; a step-up lets it through', async (t) => {
  const { app, clock } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  const ben = await loginAs(app, 'ben')
  const anns = await accountsOf(app, ann)
  const bens = await accountsOf(app, ben)

  const large = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 100_001 })
  t.equal(large.statusCode, 401, 'above $1,000 to another customer')
  t.equal(large.headers['www-authenticate'], CHALLENGE)
  t.equal(large.json().code, 'STEP_UP_REQUIRED')
  const tooMuch = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 99_000_000 })
  t.equal(tooMuch.json().code, 'STEP_UP_REQUIRED', 'before the insufficient-funds rule')
  const nobody = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: '9999999999', amountCents: 100 })
  t.equal(nobody.json().code, 'STEP_UP_REQUIRED', 'an unknown account is a payee never paid: no 404 to a stale session')
  const newPayee = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 500 })
  t.equal(newPayee.statusCode, 401, 'a payee never paid before, however small')
  const own = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountId: anns.savings.id, amountCents: 300_000 })
  t.equal(own.statusCode, 201, 'between own accounts: no step-up at any amount')
  t.equal((await accountsOf(app, ben)).checking.balanceCents, 1_000_000, 'nothing reached the other customer')

  t.equal((await stepUp(app, ann, 'wrong password')).statusCode, 403)
  clock.catchUp()
  const raised = await stepUp(app, ann)
  t.equal(raised.statusCode, 200)
  const fresh = { ...ann, token: raised.json().accessToken, bearer: { authorization: `Bearer ${raised.json().accessToken}` } }
  const claims = claimsOf(fresh.token)
  t.equal(claims.sid, claimsOf(ann.token).sid, 'the same session, raised')
  t.ok(claims.auth_time >= Math.floor(Date.now() / 1000) - 5, 'auth_time is now')
  t.equal((await postTransfer(app, fresh, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 500 })).statusCode, 201)
  t.equal((await postTransfer(app, fresh, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 100_001 })).statusCode, 201)
  t.equal((await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 500 })).statusCode, 201,
    'the old token of the same session is still stale, but a payee paid before, small, needs no step-up')
  t.equal((await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 100_001 })).statusCode, 401,
    'a token minted before the step-up still says the old sign-in')
})

t.test('a refresh after a step-up keeps the raised sign-in; the refresh token survives the step-up', async (t) => {
  const { app, clock } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  clock.catchUp()
  const raised = claimsOf((await stepUp(app, ann)).json().accessToken)
  const refreshed = await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: ann.refreshToken } })
  t.equal(refreshed.statusCode, 200)
  t.equal(claimsOf(refreshed.json().accessToken).auth_time, raised.auth_time)
})

t.test("one customer's step-up is no use to another", async (t) => {
  const { app, clock } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  const ben = await loginAs(app, 'ben')
  const anns = await accountsOf(app, ann)
  const bens = await accountsOf(app, ben)
  clock.catchUp()
  const bensFresh = (await stepUp(app, ben)).json().accessToken as string
  const bearer = { authorization: `Bearer ${bensFresh}` }
  const asBen = await app.inject({ method: 'POST', url: '/api/transfers', headers: { ...bearer, 'idempotency-key': newKey() }, payload: { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 200_000 } })
  t.equal(asBen.statusCode, 404, "ben's fresh token cannot spend ann's account")
  const annStill = await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 200_000 })
  t.equal(annStill.statusCode, 401, "ann's session is as stale as before")
  t.equal((await accountsOf(app, ann)).checking.balanceCents, 1_000_000)
})

t.test('password change: a step-up rule that speaks before the current password is checked', async (t) => {
  const { app, clock } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  const change = (user: { bearer: Record<string, string> }, currentPassword: string) => app.inject({
    method: 'POST', url: '/api/auth/password', headers: user.bearer, payload: { currentPassword, newPassword: 'a brand new passphrase 42' }
  })
  const wrong = await change(ann, 'not the password')
  t.equal(wrong.statusCode, 401)
  t.equal(wrong.json().code, 'STEP_UP_REQUIRED')
  t.equal((await change(ann, PASSWORD)).statusCode, 401)
  clock.catchUp()
  const token = (await stepUp(app, ann)).json().accessToken as string
  t.equal((await change({ bearer: { authorization: `Bearer ${token}` } }, PASSWORD)).statusCode, 200)
})

t.test('settings: thresholds, the new-payee rule and the password rule each switch; passkey level demanded', async (t) => {
  const { app } = await staleBank(t, { STEP_UP_TRANSFER_ABOVE_CENTS: '1000000', STEP_UP_NEW_PAYEE: 'false', STEP_UP_PASSWORD_CHANGE: 'false' })
  const ann = await loginAs(app, 'ann')
  const ben = await loginAs(app, 'ben')
  const anns = await accountsOf(app, ann)
  const bens = await accountsOf(app, ben)
  t.equal((await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 500_000 })).statusCode, 201)
  t.equal((await postTransfer(app, ann, { fromAccountId: anns.checking.id, toAccountNumber: bens.checking.number, amountCents: 1_000_001 })).statusCode, 401)
  const change = await app.inject({ method: 'POST', url: '/api/auth/password', headers: ann.bearer, payload: { currentPassword: PASSWORD, newPassword: 'a brand new passphrase 42' } })
  t.equal(change.statusCode, 200)

  const { app: strict, clock } = await staleBank(t, { STEP_UP_ACR: 'nestegg:passkey', STEP_UP_MAX_AGE_SECONDS: '120' })
  const cat = await loginAs(strict, 'cat')
  await loginAs(strict, 'dan')
  clock.catchUp()
  const token = (await stepUp(strict, cat)).json().accessToken as string
  const cats = await accountsOf(strict, cat)
  const refused = await strict.inject({ method: 'POST', url: '/api/transfers', headers: { authorization: `Bearer ${token}`, 'idempotency-key': newKey() }, payload: { fromAccountId: cats.checking.id, toAccountNumber: (await accountsOf(strict, await login(strict, 'dan'))).checking.number, amountCents: 100 } })
  t.equal(refused.statusCode, 401, 'a fresh password does not meet nestegg:passkey')
  t.match(refused.headers['www-authenticate'], /acr_values="nestegg:passkey", max_age=120$/)
  await t.rejects(buildTestApp(t, { STEP_UP_ACR: 'nestegg:otp' }), /STEP_UP_ACR/, 'an unknown level stops start-up')
})

t.test('forged sign-in claims at the bank are a 401 like any bad token', async (t) => {
  const { app, config } = await staleBank(t)
  const ann = await loginAs(app, 'ann')
  const anns = await accountsOf(app, ann)
  const user = { id: ann.id, username: 'ann', name: 'ann Tester' }
  const forged = {
    'acr passkey, wrong key': mintAccessToken(user, { secret: 'x'.repeat(48), claims: { acr: 'nestegg:passkey', amr: ['hwk', 'user'] } }),
    'auth_time in the future': mintAccessToken(user, { secret: config.JWT_SECRET as string, claims: { auth_time: Math.floor(Date.now() / 1000) + 900 } })
  }
  for (const [name, token] of Object.entries(forged)) {
    const response = await app.inject({ method: 'POST', url: '/api/transfers', headers: { authorization: `Bearer ${token}`, 'idempotency-key': newKey() }, payload: { fromAccountId: anns.checking.id, toAccountId: anns.savings.id, amountCents: 1 } })
    t.equal(response.statusCode, 401, name)
    t.equal(response.json().code, 'AUTH_TOKEN_INVALID', name)
  }
})
