import { openDatabase, parseDatabaseUrl } from '@nestegg/platform'
import { accessCookie, attackCases, controlToken, mintAccessToken, openTrap } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { assertNoLeaks } from './support/leaks.js'
import { PASSWORD, request, signupAndLogin } from './support/http.js'
import { startStack } from './support/services.js'

const STACK_TRACE = /\bat .*\(.*:\d+:\d+\)|node_modules/

// One stack for the whole file, logging at debug level so that the last test can read every line.
const stack = await startStack({ LOG_LEVEL: 'debug' })
t.teardown(() => stack.stop())
const trap = await openTrap()
t.teardown(() => trap.close())
const victim = await signupAndLogin(stack.bank.url, 'victim')
const user = { id: victim.id, username: 'victim', name: 'victim E2E' }
const targets = ['bank', 'retirement'] as const

t.test('every attack in the corpus is a clean 401 (or 431) from both services, by header and by cookie', async (t) => {
  for (const target of targets) {
    const control = await request(`${stack[target].url}/api/me`, { headers: { authorization: `Bearer ${controlToken(stack.secret, user)}` } })
    t.equal(control.status, 200, `${target}: the hand-built cases start from a token that is accepted`)
    for (const attack of attackCases) {
      const token = attack.token(stack.secret, user, { target, trapUrl: trap.url })
      for (const carrier of ['bearer', 'cookie'] as const) {
        const headers: Record<string, string> = carrier === 'bearer' ? { authorization: `Bearer ${token}` } : { cookie: accessCookie(token) }
        const response = await request(`${stack[target].url}/api/me`, { headers })
        const label = `${target} ${attack.name} [${attack.requirement}] via ${carrier}`
        t.ok((attack.statuses ?? [401]).includes(response.status), `${label}: ${response.status}`)
        t.notMatch(JSON.stringify(response.body), STACK_TRACE, `${label}: no stack trace`)
        if (response.status === 401) t.match(response.body, { statusCode: 401, code: /^AUTH_/ }, `${label}: coded body`)
      }
    }
  }
  t.same(trap.hits, [], 'no jku or x5u header made either service fetch anything')
})

t.test('an oversized header is refused by the HTTP layer with 431, and the connection pool recovers', async (t) => {
  for (const target of targets) {
    const oversized = await request(`${stack[target].url}/api/me`, { headers: { authorization: `Bearer ${'a'.repeat(64 * 1024)}` } })
    t.equal(oversized.status, 431, `${target}: 64 KiB Authorization header`)
    const manyCookies = await request(`${stack[target].url}/api/me`, { headers: { cookie: `nestegg_access=${'b'.repeat(20 * 1024)}` } })
    t.equal(manyCookies.status, 431, `${target}: 20 KiB cookie`)
  }
})

t.test("a token for one service's audience only is refused by the other", async (t) => {
  const bankOnly = mintAccessToken(user, { secret: stack.secret, claims: { aud: 'nestegg-bank' } })
  const retirementOnly = mintAccessToken(user, { secret: stack.secret, claims: { aud: 'nestegg-retirement' } })
  const at = (target: 'bank' | 'retirement', token: string) =>
    request(`${stack[target].url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  t.equal((await at('bank', bankOnly)).status, 200, 'the bank accepts its own audience')
  t.equal((await at('retirement', bankOnly)).status, 401, 'retirement refuses a bank-only token')
  t.equal((await at('retirement', retirementOnly)).status, 200, 'retirement accepts its own audience')
  t.equal((await at('bank', retirementOnly)).status, 401, 'the bank refuses a retirement-only token')
})

t.test('a real refresh token, from a real login, is refused as an access token by both services', async (t) => {
  const login = await request(`${stack.bank.url}/api/auth/login`, { method: 'POST', json: { username: 'victim', password: PASSWORD } })
  t.equal(login.status, 200)
  const refreshToken = login.body.refreshToken as string
  t.type(refreshToken, 'string', 'login hands out a refresh token')
  for (const target of targets) {
    for (const headers of [{ authorization: `Bearer ${refreshToken}` }, { cookie: accessCookie(refreshToken) }] as Array<Record<string, string>>) {
      const response = await request(`${stack[target].url}/api/me`, { headers })
      t.equal(response.status, 401, `${target}: ${Object.keys(headers)[0]}`)
      t.match(response.body, { code: /^AUTH_/ })
    }
  }
})

t.test('a valid token for a user who was deleted is a 401 at the bank', async (t) => {
  const doomed = await signupAndLogin(stack.bank.url, 'doomed')
  // The bank never deletes a user (their accounts and ledger entries refer to them, by foreign key):
  // this test does it by hand, the user's ledger rows first. This stack's ledger no longer balances.
  const handle = openDatabase<any>(parseDatabaseUrl(stack.bank.env.DATABASE_URL, ''))
  const transfers = handle.db.selectFrom('transfers').select('id').where('user_id', '=', doomed.id)
  await handle.db.deleteFrom('entries').where('transfer_id', 'in', transfers).execute()
  await handle.db.deleteFrom('transfers').where('user_id', '=', doomed.id).execute()
  await handle.db.deleteFrom('accounts').where('user_id', '=', doomed.id).execute()
  await handle.db.deleteFrom('users').where('id', '=', doomed.id).execute()
  await handle.db.destroy()
  const carriers: Array<Record<string, string>> = [{ authorization: `Bearer ${doomed.token}` }, { cookie: doomed.cookie }]
  for (const headers of carriers) {
    const response = await request(`${stack.bank.url}/api/me`, { headers })
    t.equal(response.status, 401)
    t.equal(response.body.code, 'AUTH_USER_UNKNOWN')
  }
  // Retirement never asks the bank who a user is (docs/security.md): the token stays valid there
  // until it expires, which is why access tokens live minutes, not hours.
  const retirement = await request(`${stack.retirement.url}/api/me`, { headers: { authorization: `Bearer ${doomed.token}` } })
  t.equal(retirement.status, 200, 'retirement accepts it until it expires, by design')
})

t.test('both services keep serving after the attacks', async (t) => {
  const fresh = mintAccessToken(user, { secret: stack.secret })
  for (const target of targets) {
    t.equal((await request(`${stack[target].url}/healthz`)).status, 200, `${target} is up`)
    const me = await request(`${stack[target].url}/api/me`, { headers: { authorization: `Bearer ${fresh}` } })
    t.equal(me.status, 200, `${target} still accepts a valid token`)
    t.equal(me.body.id, user.id)
    t.equal(stack[target].process.exitCode, null, `${target} did not exit`)
  }
  const login = await request(`${stack.bank.url}/api/auth/login`, { method: 'POST', json: { username: 'victim', password: 'wrong password, twelve+' } })
  t.equal(login.status, 401, 'the bank still checks passwords')
})

t.test('flows at debug level: signup, login, refresh, CSRF, logout, failed login', async (t) => {
  const flow = await signupAndLogin(stack.bank.url, 'flowuser')
  for (const target of targets) {
    t.equal((await request(`${stack[target].url}/api/me`, { headers: { cookie: flow.cookie } })).status, 200)
  }
  const login = await request(`${stack.bank.url}/api/auth/login`, { method: 'POST', json: { username: 'flowuser', password: PASSWORD } })
  const refreshed = await request(`${stack.bank.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken: login.body.refreshToken } })
  t.equal(refreshed.status, 200, 'a refresh rotates the pair (both pairs are now in the leak check)')
  const csrf = await request(`${stack.bank.url}/api/csrf-token`, { headers: { cookie: flow.cookie } })
  t.equal(csrf.status, 200)
  const csrfCookie = csrf.setCookies.map((line) => line.split(';')[0]).join('; ')
  const logout = await request(`${stack.bank.url}/api/auth/logout`, {
    method: 'POST',
    json: {},
    headers: { cookie: `${flow.cookie}; ${csrfCookie}`, origin: stack.bankUrl, 'x-csrf-token': csrf.body.csrfToken }
  })
  t.equal(logout.status, 204)
})

t.test('tokens where none belongs: in the URL, inside return_to, in the path, in x-request-id', async (t) => {
  const flow = await signupAndLogin(stack.bank.url, 'urluser')
  const { refreshCookie } = flow
  const refreshToken = refreshCookie.split('=')[1] ?? ''
  for (const target of targets) {
    const base = stack[target].url
    const urls = [
      `${base}/api/me?access_token=${flow.token}`,
      `${base}/?${flow.token}`,
      `${base}/api/plans/${flow.token}`,
      `${base}/nowhere/${refreshToken}`,
      `${stack.bank.url}/api/auth/refresh?return_to=${encodeURIComponent(`${stack.retirementUrl}/?access_token=${flow.token}&r=${refreshToken}`)}`,
      `${stack.bank.url}/login?return_to=${encodeURIComponent(`/?token=${flow.token}`)}`
    ]
    for (const url of urls) t.ok((await request(url)).status < 500, `${target}: ${url.slice(base.length, base.length + 24)}…`)
    for (const id of [flow.token, refreshToken, stack.secret]) {
      t.ok((await request(`${base}/api/me`, { headers: { 'x-request-id': id } })).status < 500, `${target}: a credential as x-request-id`)
    }
  }
})

t.test('no token, cookie value, password or secret appears in any log line of either service', async (t) => {
  await stack.stop()
  assertNoLeaks(t, [stack.bank, stack.retirement])
  const debugLines = [stack.bank, stack.retirement].flatMap((service) => service.logs)
  t.ok(debugLines.some((line) => line.msg === 'incoming request'), 'request lines were captured')
})
