// docker-compose.yml's stack, one copy of each service: the login, SSO and API flows against the
// containers, as a person would use them after `docker compose up`.
import type { Test } from 'tap'
import { cookieFrom, request } from '../../test/support/http.js'
import { poll } from '../support/command.js'
import type { ComposeProject } from '../support/compose-project.js'
import type { SinglePorts } from '../support/topologies.js'

export const DEMO_PASSWORD = 'nestegg-demo-password'

export async function singleStackChecks (t: Test, project: ComposeProject, ports: SinglePorts): Promise<void> {
  const bank = `http://127.0.0.1:${ports.bank}`
  const retirement = `http://127.0.0.1:${ports.retirement}`

  await t.test('the services run as the unprivileged user node, with secrets in files', async (t) => {
    for (const service of ['bank', 'retirement']) {
      t.equal(await project.inspect(service, '.Config.User'), 'node', `${service} image user`)
      const status = (await project.exec(service, ['cat', '/proc/1/status'])).stdout
      t.match(status, /^Uid:\s+1000\s+1000\s+1000\s+1000$/m, `${service}'s server process runs as uid 1000`)
      const env = (await project.inspect<string[]>(service, '.Config.Env')) ?? []
      t.notOk(env.some((line) => line.startsWith('JWT_SECRET=')), `${service} gets no JWT secret in its environment`)
      t.ok(env.includes('NODE_ENV=production'), `${service} runs with NODE_ENV=production`)
      t.notMatch(env.find((line) => line.startsWith('DATABASE_URL=')), /:[^/@]+@/, `${service}'s DATABASE_URL holds no password`)
    }
    const engine = await request(`${bank}/readyz`)
    t.equal(engine.status, 200)
  })

  await t.test('log in at the bank as a demo user; retirement accepts the same token', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'alice', password: DEMO_PASSWORD } })
    t.equal(login.status, 200, 'seed-demo added alice')
    const cookie = cookieFrom(login.setCookies, 'nestegg_access')
    t.ok(cookie, 'the bank sets the access cookie')
    const viaCookie = await request(`${retirement}/api/me`, { headers: { cookie: cookie ?? '' } })
    t.equal(viaCookie.status, 200, 'the bank\'s cookie reaches retirement: no second login')
    t.equal(viaCookie.body.username, 'alice')
    const viaBearer = await request(`${retirement}/api/me`, { headers: { authorization: `Bearer ${login.body.accessToken}` } })
    t.equal(viaBearer.status, 200)
    t.equal(viaBearer.body.id, viaCookie.body.id)
    const plans = await request(`${retirement}/api/plans`, { headers: { authorization: `Bearer ${login.body.accessToken}` } })
    t.equal(plans.status, 200, 'retirement reads its own database')
    const dashboard = await request(`${bank}/`, { headers: { cookie: cookie ?? '' } })
    t.equal(dashboard.status, 200, 'the bank\'s dashboard renders from the image\'s views')
    t.match(dashboard.body, `href="http://localhost:${ports.retirement}/"`, 'and links to retirement at its published URL')
    const home = await request(`${retirement}/`, { headers: { cookie: cookie ?? '' } })
    t.equal(home.status, 200, 'retirement\'s page renders for the same cookie')
    t.match(home.body, `href="http://localhost:${ports.bank}/"`, 'and links back to the bank')
    const wrong = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'alice', password: 'not the password' } })
    t.equal(wrong.status, 401)
  })
  await t.test('a transfer between alice\'s accounts books once per Idempotency-Key, on PostgreSQL', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'alice', password: DEMO_PASSWORD } })
    const bearer = { authorization: `Bearer ${login.body.accessToken}` }
    const balances = async () => {
      const accounts = await request<Array<{ id: string, type: string, balanceCents: number }>>(`${bank}/api/accounts`, { headers: bearer })
      return Object.fromEntries(accounts.body.map((account) => [account.type, account]))
    }
    const before = await balances()
    t.ok(before.checking && before.savings, 'alice has a checking and a savings account')
    t.ok((before.checking?.balanceCents ?? 0) >= 1234, 'her checking account holds the welcome deposit')
    const transfer = () => request(`${bank}/api/transfers`, {
      method: 'POST',
      headers: { ...bearer, 'idempotency-key': 'compose-test-transfer' },
      json: { fromAccountId: before.checking?.id, toAccountId: before.savings?.id, amountCents: 1234, memo: 'compose test' }
    })
    const first = await transfer()
    t.equal(first.status, 201, 'the transfer is booked')
    const again = await transfer()
    t.equal(again.body.id, first.body.id, 'the same key answers the same transfer')
    const after = await balances()
    t.equal(after.checking?.balanceCents, (before.checking?.balanceCents ?? 0) - 1234, 'checking paid once')
    t.equal(after.savings?.balanceCents, (before.savings?.balanceCents ?? 0) + 1234, 'savings received once')
  })

  await t.test('a contribution from the bank into a retirement plan completes once, across the containers', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'alice', password: DEMO_PASSWORD } })
    const bearer = { authorization: `Bearer ${login.body.accessToken}` }
    const checking = async () => {
      const accounts = await request<Array<{ id: string, type: string, balanceCents: number }>>(`${bank}/api/accounts`, { headers: bearer })
      return accounts.body.find((account) => account.type === 'checking')
    }
    const before = await checking()
    t.ok(before && before.balanceCents >= 2500, 'alice\'s checking account can pay 25.00')
    const plan = await request(`${retirement}/api/plans`, { method: 'POST', headers: bearer, json: { type: 'roth_ira' } })
    t.equal(plan.status, 201, 'retirement opens a plan on PostgreSQL')
    const contribute = () => request(`${retirement}/api/contributions`, {
      method: 'POST',
      headers: { ...bearer, 'idempotency-key': 'compose-test-contribution' },
      json: { planId: plan.body.id, fromAccountId: before?.id, amountCents: 2500 }
    })
    const first = await contribute()
    t.ok(first.status === 202 || first.status === 201, `retirement accepts the contribution (${first.status})`)
    const again = await contribute()
    t.equal(again.status, 200, 'a retry with the same Idempotency-Key creates nothing')
    t.equal(again.body.id, first.body.id, 'and answers the same contribution')
    // Retirement's worker debits the bank over BANK_INTERNAL_URL with a service token.
    const status = await poll('the contribution to complete', async () => {
      const current = await request(`${retirement}/api/contributions/${first.body.id}`, { headers: bearer })
      return current.body.status === 'completed' || current.body.status === 'failed' ? current.body.status as string : undefined
    }, 30_000, 250).catch((error: Error) => error.message)
    t.equal(status, 'completed', 'the worker completes it through the bank')
    const after = await checking()
    t.equal(after?.balanceCents, (before?.balanceCents ?? 0) - 2500, 'checking is debited once')
    const planAfter = await request(`${retirement}/api/plans/${plan.body.id}`, { headers: bearer })
    t.equal(planAfter.body.balanceCents, 2500, 'the plan is credited once')
  })

  await t.test('logout at the bank: retirement refuses the same, unexpired token', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'bob', password: DEMO_PASSWORD } })
    const cookie = cookieFrom(login.setCookies, 'nestegg_access') ?? ''
    const me = async () => (await request(`${retirement}/api/me`, { headers: { cookie } })).status
    t.equal(await me(), 200, 'bob is signed in at retirement')
    const logout = await request(`${bank}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${login.body.accessToken}` }, json: {} })
    t.equal(logout.status, 204)
    // The bank tells retirement over the back channel (BANK_INTERNAL_URL/RETIREMENT_INTERNAL_URL).
    const refused = await poll('retirement to refuse the token', async () => (await me()) === 401 ? true : undefined, 10_000, 200)
      .catch(() => false)
    t.ok(refused, 'retirement refuses the logged-out session')
  })
}
