import t from 'tap'
import { startTwoCopies, postgresForE2e } from './support/copies.js'
import { PASSWORD, cookieFrom, request } from './support/http.js'
import { eventually } from './support/services.js'

// Two copies of each service against PostgreSQL, the cross-service flows alternating between
// copies. Runs in `npm run test:postgres` (and so in CI); on SQLite alone there is nothing to share.
const servers = postgresForE2e()

t.test('two copies of each service behave as one', { skip: servers === undefined ? 'needs PostgreSQL: npm run test:postgres' : false }, async (t) => {
  const copies = await startTwoCopies(servers!)
  t.teardown(() => copies.stop())
  const [bankA, bankB] = copies.bank
  const [retirementA, retirementB] = copies.retirement

  // Sign up at one bank copy, log in at the other.
  const signup = await request(`${bankB.url}/api/auth/signup`, { method: 'POST', json: { username: 'twocopies', password: PASSWORD, name: 'Two Copies' } })
  t.equal(signup.status, 201)
  const login = await request(`${bankA.url}/api/auth/login`, { method: 'POST', json: { username: 'twocopies', password: PASSWORD } })
  t.equal(login.status, 200, 'a user created at copy b logs in at copy a')
  const cookie = cookieFrom(login.setCookies, 'nestegg_access') as string
  const bearer = { authorization: `Bearer ${login.body.accessToken as string}` }
  t.equal((await request(`${bankB.url}/api/me`, { headers: bearer })).status, 200, 'copy b accepts copy a\'s session')
  t.equal((await request(`${bankA.url}/api/me`, { headers: bearer })).status, 200, 'copy a has checked the session too (and remembers it for a second)')

  // Act at either retirement copy: what one writes, the other reads.
  for (const retirement of [retirementA, retirementB]) {
    t.equal((await request(`${retirement.url}/api/me`, { headers: { cookie } })).status, 200)
  }
  const opened = await request(`${retirementB.url}/api/plans`, { method: 'POST', headers: bearer, json: { type: '401k' } })
  t.equal(opened.status, 201)
  const listed = await request(`${retirementA.url}/api/plans`, { headers: { cookie } })
  t.same(listed.body.map((plan: { id: string }) => plan.id), [opened.body.id], 'copy a lists the plan opened at copy b')

  // Log out at the other bank copy: refused at both retirement copies, though only copy b was told.
  const logout = await request(`${bankB.url}/api/auth/logout`, { method: 'POST', headers: bearer, json: {} })
  t.equal(logout.status, 204)
  t.equal((await request(`${bankB.url}/api/me`, { headers: bearer })).status, 401, 'copy b, which ended it, refuses the session at once')
  let atA = 200
  const refusedAtA = await eventually(() => atA === 401, 2000, async () => {
    atA = (await request(`${bankA.url}/api/me`, { headers: bearer })).status
  })
  t.ok(refusedAtA, 'copy a of the bank refuses the ended session within 2 seconds (it rechecks a session every second)')
  for (const [name, retirement] of [['a', retirementA], ['b', retirementB]] as const) {
    let status = 200
    const refused = await eventually(() => status === 401, 2000, async () => {
      status = (await request(`${retirement.url}/api/me`, { headers: { cookie } })).status
    })
    t.ok(refused, `retirement copy ${name} refuses the logged-out token within 2 seconds`)
  }
  const refresh = await request(`${bankA.url}/api/auth/refresh`, { method: 'POST', json: { refreshToken: login.body.refreshToken } })
  t.equal(refresh.status, 401, 'the ended session cannot be refreshed at the other copy either')
})
