import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { eventually, startStack, stopService } from './support/services.js'

// Both key modes run the same scenario: the shared secret (default) and Ed25519 with JWKS.
for (const mode of ['hs256', 'eddsa'] as const) {
  t.test(`${mode}: logout at the bank reaches retirement within 2 seconds, also when retirement was down`, async (t) => {
    const stack = await startStack({ AUTH_MODE: mode })
    t.teardown(() => stack.stop())
    const me = async (cookie: string) => (await request(`${stack.retirement.url}/api/me`, { headers: { cookie } })).status

    // 1. Retirement up: the bank tells it over the back channel.
    const first = await signupAndLogin(stack.bank.url, `out_${mode}`)
    t.equal(await me(first.cookie), 200, 'single sign-on works in this mode')
    const logout = await request(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${first.token}` }, json: {} })
    t.equal(logout.status, 204)
    t.equal((await request(`${stack.bank.url}/api/me`, { headers: { cookie: first.cookie } })).status, 401, 'the bank refuses the token at once')
    let last = 200
    const refused = await eventually(() => last === 401, 2000, async () => { last = await me(first.cookie) })
    t.ok(refused, 'retirement refuses the same, unexpired token within 2 seconds')

    // 2. Retirement down during the logout: it catches up when it comes back, before serving.
    const second = await signupAndLogin(stack.bank.url, `down_${mode}`)
    t.equal(await me(second.cookie), 200)
    await stopService(stack.retirement)
    const whileDown = await request(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${second.token}` }, json: {} })
    t.equal(whileDown.status, 204, 'logout does not wait for retirement')
    await stack.restart('retirement')
    t.equal(await me(second.cookie), 401, 'the first request after the restart is already refused')
    t.equal(await me(first.cookie), 401, 'and the earlier logout survived the restart')

    const third = await signupAndLogin(stack.bank.url, `live_${mode}`)
    t.equal(await me(third.cookie), 200, 'other sessions are untouched')
  })
}
