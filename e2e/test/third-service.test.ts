// The third service of e2e/insurance/server.ts, built from the five steps of docs/architecture.md
// and nothing else, beside the bank and retirement: the bank's login is good there, and its logout too.
import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { eventually, startStack } from './support/services.js'

t.test('a service that registers relyingParty alone trusts the bank login and honours its logouts', async (t) => {
  const stack = await startStack({}, { insurance: true })
  t.teardown(() => stack.stop())
  const insurance = stack.insurance
  if (insurance === undefined) throw new Error('the stack has no third service')
  const me = (headers: Record<string, string>) => request(`${insurance.url}/api/me`, { headers })

  await t.test('a login at the bank is accepted there, by cookie and by Bearer', async (t) => {
    const alice = await signupAndLogin(stack.bank.url, 'insured_alice')
    const viaCookie = await me({ cookie: alice.cookie })
    t.equal(viaCookie.status, 200)
    const { amr, acr, authTime, ...who } = viaCookie.body
    t.same(who, { id: alice.id, username: 'insured_alice', name: 'insured_alice E2E' }, 'request.user is the user')
    t.same([amr, acr, typeof authTime], [['pwd'], 'nestegg:pwd', 'number'], '…and how and when they signed in, nothing more')
    const viaBearer = await me({ authorization: `Bearer ${alice.token}` })
    t.equal(viaBearer.status, 200)
    t.equal(viaBearer.body.id, alice.id)
    const claims = JSON.parse(Buffer.from(alice.token.split('.')[1] ?? '', 'base64url').toString())
    t.same(claims.aud, ['nestegg-bank', 'nestegg-retirement', 'nestegg-insurance'], 'the bank names every party in RELYING_PARTIES')
  })

  await t.test('a forged token is refused', async (t) => {
    const alice = await signupAndLogin(stack.bank.url, 'insured_mallory')
    const [header, payload, signature] = alice.token.split('.') as [string, string, string]
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString())
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: 'someone-else' })).toString('base64url')}.${signature}`
    const refused = await me({ authorization: `Bearer ${tampered}` })
    t.equal(refused.status, 401)
    t.equal(refused.body.code, 'AUTH_TOKEN_INVALID')
    const foreignKey = mintAccessToken({ id: alice.id, username: 'insured_mallory', name: 'x' }, { secret: randomSecret(), claims: { aud: ['nestegg-bank', 'nestegg-insurance'] } })
    t.equal((await me({ authorization: `Bearer ${foreignKey}` })).status, 401, 'signed with another key')
    const forRetirementOnly = mintAccessToken({ id: alice.id, username: 'insured_mallory', name: 'x' }, { secret: stack.secret, claims: { aud: ['nestegg-bank', 'nestegg-retirement'] } })
    t.equal((await me({ authorization: `Bearer ${forRetirementOnly}` })).status, 401, 'a genuine key, but not its audience')
    t.equal((await me({})).status, 401, 'no token at all')
  })

  await t.test('a logout at the bank is refused there within 2 s; logging out everywhere too', async (t) => {
    const bob = await signupAndLogin(stack.bank.url, 'insured_bob')
    t.equal((await me({ cookie: bob.cookie })).status, 200)
    const logout = await request(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${bob.token}` }, json: {} })
    t.equal(logout.status, 204)
    let last = 200
    t.ok(await eventually(() => last === 401, 2000, async () => { last = (await me({ cookie: bob.cookie })).status }), 'refused within 2 s')

    const carol = await signupAndLogin(stack.bank.url, 'insured_carol')
    const login = await request(`${stack.bank.url}/api/auth/login`, { method: 'POST', json: { username: 'insured_carol', password: 'correct horse battery staple' } })
    const second = login.body.accessToken as string
    const everywhere = await request(`${stack.bank.url}/api/auth/logout-all`, { method: 'POST', headers: { authorization: `Bearer ${carol.token}` } })
    t.equal(everywhere.status, 204)
    const statuses = async () => Promise.all([
      me({ authorization: `Bearer ${carol.token}` }),
      me({ authorization: `Bearer ${second}` }),
      request(`${stack.retirement.url}/api/me`, { headers: { authorization: `Bearer ${second}` } })
    ]).then((answers) => answers.map((answer) => answer.status))
    let seen: number[] = []
    t.ok(await eventually(() => seen.every((status) => status === 401), 2000, async () => { seen = await statuses() }), 'both sessions refused at both parties within 2 s')
  })

  await t.test('it asks for a step-up with the same guard: a stale sign-in gets the RFC 9470 challenge, a step-up at the bank lifts it', async (t) => {
    const erin = await signupAndLogin(stack.bank.url, 'insured_erin')
    const claim = (headers: Record<string, string>) => request(`${insurance.url}/api/claims`, { method: 'POST', headers, json: {} })
    t.equal((await claim({ authorization: `Bearer ${erin.token}` })).status, 200, 'just signed in: fresh enough')
    const user = { id: erin.id, username: 'insured_erin', name: 'insured_erin E2E' }
    const aud = ['nestegg-bank', 'nestegg-retirement', 'nestegg-insurance']
    const stale = mintAccessToken(user, { secret: stack.secret, claims: { aud, auth_time: Math.floor(Date.now() / 1000) - 301 } })
    const refused = await claim({ authorization: `Bearer ${stale}` })
    t.equal(refused.status, 401)
    t.equal(refused.headers.get('www-authenticate'), 'Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is required", acr_values="nestegg:pwd", max_age=300')
    t.equal(refused.body.code, 'STEP_UP_REQUIRED')
    const forged = mintAccessToken(user, { secret: randomSecret(), claims: { aud } })
    t.equal((await claim({ authorization: `Bearer ${forged}` })).body.code, 'AUTH_TOKEN_INVALID', 'a fresh sign-in signed with another key')
    const raised = await request(`${stack.bank.url}/api/auth/step-up`, { method: 'POST', headers: { authorization: `Bearer ${erin.token}` }, json: { password: 'correct horse battery staple' } })
    t.equal(raised.status, 200, 'the step-up at the bank')
    t.equal((await claim({ authorization: `Bearer ${raised.body.accessToken}` })).status, 200, 'its token is good here at once')
  })

  await t.test('a party that was down during a logout refuses the token when it returns', async (t) => {
    const dave = await signupAndLogin(stack.bank.url, 'insured_dave')
    t.equal((await me({ cookie: dave.cookie })).status, 200)
    await stack.stopOne('insurance')
    const logout = await request(`${stack.bank.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${dave.token}` }, json: {} })
    t.equal(logout.status, 204, 'the logout does not wait for a party that is down')
    await stack.startOne('insurance')
    // Its deny-list was in memory and is gone: it catches up from the bank before answering.
    t.equal((await me({ cookie: dave.cookie })).status, 401, 'the first request after its return is refused')
  })
})
