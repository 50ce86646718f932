// The probe of issue 20 with real processes: the bank in eddsa, retirement in hs256. Each service
// says what is wrong, once, naming the setting, instead of both looking ready.
import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { eventually, startService, startStack, stopService } from './support/services.js'

t.test('bank in eddsa, retirement in hs256: retirement is unready and says why; the bank reports the refused logouts', async (t) => {
  const stack = await startStack({ AUTH_MODE: 'eddsa' })
  t.teardown(() => stack.stop())
  await stopService(stack.retirement)
  const { JWT_KEYS_FILE: _ownKeys, ...env } = stack.retirement.env
  const retirement = await startService('retirement', stack.retirement.port, { ...env, AUTH_MODE: 'hs256', JWT_SECRET: stack.secret }, [], { untilListening: true })
  stack.retirement = retirement

  let readyz = await request(`${retirement.url}/readyz`)
  t.ok(await eventually(() => readyz.status === 503, 5000, async () => { readyz = await request(`${retirement.url}/readyz`) }), 'retirement answers 503')
  t.match(readyz.body, { status: 'unavailable', reasons: [/the bank runs AUTH_MODE=eddsa but this service runs AUTH_MODE=hs256: set AUTH_MODE=eddsa here/] })
  await new Promise((resolve) => setTimeout(resolve, 2500))
  const errors = retirement.logs.filter((line) => line.level === 50)
  t.equal(errors.length, 1, 'one error line over several catch-up attempts')
  t.match(errors[0], { msg: /AUTH_MODE=eddsa/ })
  t.notOk(retirement.output.join('').includes('still arrive'), 'no warning claims notices arrive')

  const alice = await signupAndLogin(stack.bank.url, 'mismatch_alice')
  t.equal((await request(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${alice.token}` }, json: {} })).status, 204)
  let bankReady = await request(`${stack.bank.url}/readyz`)
  t.ok(await eventually(() => (bankReady.body.warnings ?? []).length > 0, 5000, async () => { bankReady = await request(`${stack.bank.url}/readyz`) }), 'the bank names the party')
  t.equal(bankReady.status, 200, 'the bank stays ready')
  t.match(bankReady.body.warnings, [/^retirement refuses our logout tokens \(401\): its AUTH_MODE or keys differ from the bank's/])
  const bankErrors = () => stack.bank.logs.filter((line) => line.level === 50 && line.party === 'retirement')
  // Log lines arrive on the process's stdout a little after the answer that follows them.
  t.ok(await eventually(() => bankErrors().length > 0, 2000), 'an error line at the bank')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  t.equal(bankErrors().length, 1, 'one, not one per retry')
})
