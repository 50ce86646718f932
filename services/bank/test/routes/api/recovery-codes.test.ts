import { test } from 'tap'
import { buildTestApp, lateClock, loginAs } from '../../helper.js'

async function recoveryLogin (app: Parameters<typeof loginAs>[0], username: string, code: string) {
  return app.inject({ method: 'POST', url: '/api/auth/recovery-login', payload: { username, code } })
}

test('recovery codes are shown once, sign in once each, and a new set voids the old', async (t) => {
  const { app } = await buildTestApp(t)
  const alice = await loginAs(app, 'alice')
  const made = await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: alice.bearer })
  t.equal(made.statusCode, 201)
  const { codes } = made.json() as { codes: string[] }
  t.equal(codes.length, 10)
  t.equal(new Set(codes).size, 10, 'all different')
  t.match(codes[0], /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)

  const stored = await app.database.db.selectFrom('recovery_codes').select('code_hash').execute()
  t.notOk(stored.some((row) => codes.some((code) => row.code_hash.includes(code.replaceAll('-', '')))), 'only hashes at rest')

  const first = codes[0] ?? ''
  const login = await recoveryLogin(app, 'alice', first.toLowerCase().replaceAll('-', ' '))
  t.equal(login.statusCode, 200, 'typed in lower case with spaces, the code still works')
  const claims = JSON.parse(Buffer.from((login.json() as { accessToken: string }).accessToken.split('.')[1] ?? '', 'base64url').toString())
  t.same(claims.amr, ['otp'], 'a recovery code is a one-time password (RFC 8176)')
  t.equal(claims.acr, 'nestegg:pwd', 'and meets no more than the password level')
  const again = await recoveryLogin(app, 'alice', first)
  t.equal(again.statusCode, 401, 'a used code does not work twice')
  t.equal(again.json().code, 'BANK_RECOVERY_CODE_REJECTED')

  const bob = await loginAs(app, 'bob')
  t.equal((await recoveryLogin(app, 'bob', codes[1] ?? '')).statusCode, 401, 'one customer\'s code does not open another\'s account')
  t.equal((await recoveryLogin(app, 'nobody', codes[1] ?? '')).statusCode, 401, 'an unknown user gets the same answer')
  t.ok(bob.id)

  await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: alice.bearer })
  t.equal((await recoveryLogin(app, 'alice', codes[1] ?? '')).statusCode, 401, 'a new set voids the earlier codes')
})

test('recovery codes need a signed-in customer to make and a well-formed body to use', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/recovery-codes' })).statusCode, 401)
  t.equal((await app.inject({ method: 'POST', url: '/api/auth/recovery-login', payload: { username: 'alice' } })).statusCode, 400)
})

test('a stale session cannot make recovery codes (the password-change rule): 401 with the challenge, nothing made', async (t) => {
  for (const [setting, expected] of [['true', 401], ['false', 201]] as const) {
    const clock = lateClock(600)
    const { app } = await buildTestApp(t, { STEP_UP_PASSWORD_CHANGE: setting }, { clock: clock.now })
    const ann = await loginAs(app, 'ann')
    clock.catchUp()
    const response = await app.inject({ method: 'POST', url: '/api/recovery-codes', headers: ann.bearer })
    t.equal(response.statusCode, expected, `STEP_UP_PASSWORD_CHANGE=${setting}`)
    const stored = await app.database.db.selectFrom('recovery_codes').select('code_hash').execute()
    if (expected === 401) {
      t.match(response.headers['www-authenticate'], /insufficient_user_authentication/)
      t.equal(stored.length, 0, 'no code was made')
    } else {
      t.equal(stored.length, 10)
    }
  }
})
