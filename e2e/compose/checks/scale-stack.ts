// docker-compose.scale.yml: two copies of each service behind nginx. Every request goes through the
// proxy, except where a check asks one copy directly (at its own port) what it accepts.
import { randomUUID } from 'node:crypto'
import type { Test } from 'tap'
import { cookieFrom, request, signupAndLogin } from '../../test/support/http.js'
import { poll, run } from '../support/command.js'
import { type ComposeProject, PROJECT } from '../support/compose-project.js'
import { postFrom } from '../support/loopback-client.js'
import { SCALE_AUTH_RATE_LIMIT, type ScalePorts } from '../support/topologies.js'
import { DEMO_PASSWORD } from './single-stack.js'

export interface ScaleStack { project: ComposeProject, ports: ScalePorts }

export async function scaleChecks (t: Test, { ports }: ScaleStack): Promise<void> {
  const bank = `http://127.0.0.1:${ports.bankProxy}`
  const retirement = `http://127.0.0.1:${ports.retirementProxy}`
  const retirementCopies = ports.retirement.map((port) => `http://127.0.0.1:${port}`)

  await t.test('a login through the proxy is accepted by both retirement copies', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'alice', password: DEMO_PASSWORD } })
    t.equal(login.status, 200, 'the bank, behind the proxy, logs alice in')
    const cookie = cookieFrom(login.setCookies, 'nestegg_access') ?? ''
    for (const [index, copy] of retirementCopies.entries()) {
      const me = await request(`${copy}/api/me`, { headers: { cookie } })
      t.equal(me.status, 200, `retirement copy ${index + 1} accepts the bank's cookie`)
      t.equal(me.body.username, 'alice')
    }
    const viaProxy = await request(`${retirement}/api/me`, { headers: { authorization: `Bearer ${login.body.accessToken}` } })
    t.equal(viaProxy.status, 200, 'and so does retirement through the proxy')
  })

  await t.test('a logout through the proxy reaches both retirement copies within 2 s', async (t) => {
    const login = await request(`${bank}/api/auth/login`, { method: 'POST', json: { username: 'bob', password: DEMO_PASSWORD } })
    const cookie = cookieFrom(login.setCookies, 'nestegg_access') ?? ''
    const statuses = async () => Promise.all(retirementCopies.map(async (copy) => (await request(`${copy}/api/me`, { headers: { cookie } })).status))
    t.same(await statuses(), [200, 200], 'bob is signed in at both copies')
    const loggedOut = Date.now()
    const logout = await request(`${bank}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${login.body.accessToken}` }, json: {} })
    t.equal(logout.status, 204)
    // The bank tells retirement through the proxy, so one copy hears it; both read the deny-list.
    const refused = await poll('both copies to refuse bob', async () => (await statuses()).every((status) => status === 401) ? Date.now() - loggedOut : undefined, 5000, 100)
      .catch(() => Infinity)
    t.ok(refused <= 2000, `both retirement copies refuse the token ${refused} ms after the logout (at most 2000)`)
  })

  await t.test('per-IP rate limits count the client behind the proxy, across both bank copies', async (t) => {
    // Wrong passwords for unknown names: each is a 401 that counts, with no per-account backoff.
    const attempt = (client: string) => postFrom(client, `${bank}/api/auth/login`, { username: `nobody${randomUUID().slice(0, 8)}`, password: 'not the password at all' })
    const first: number[] = []
    for (let i = 0; i < SCALE_AUTH_RATE_LIMIT; i++) first.push(await attempt('127.0.0.2'))
    t.same(first, Array(SCALE_AUTH_RATE_LIMIT).fill(401), `client 127.0.0.2: ${SCALE_AUTH_RATE_LIMIT} attempts, spread by the proxy over both copies, are answered`)
    t.equal(await attempt('127.0.0.2'), 429, 'its next attempt is refused: the copies count it together (AUTH_RATE_LIMIT_STORE=database)')
    t.equal(await attempt('127.0.0.3'), 401, 'client 127.0.0.3, through the same proxy, is not: the limit counts the client, not the proxy')
  })
}

/** Run last: it kills a bank copy. */
export async function killedCopyChecks (t: Test, { project, ports }: ScaleStack): Promise<void> {
  const bank = `http://127.0.0.1:${ports.bankProxy}`
  const retirement = `http://127.0.0.1:${ports.retirementProxy}`

  await t.test('contributions complete exactly once while a bank copy is killed mid-way; reconcile is clean', async (t) => {
    const user = await signupAndLogin(bank, `scale${randomUUID().slice(0, 8)}`)
    const bearer = { authorization: `Bearer ${user.token}` }
    const checking = async () => {
      const accounts = await request<Array<{ id: string, type: string, balanceCents: number }>>(`${bank}/api/accounts`, { headers: bearer })
      const account = accounts.body.find((candidate) => candidate.type === 'checking')
      if (account === undefined) throw new Error(`no checking account (${accounts.status})`)
      return account
    }
    const before = await checking()
    const plan = await request(`${retirement}/api/plans`, { method: 'POST', headers: bearer, json: { type: 'roth_ira' } })
    t.equal(plan.status, 201)
    const contribute = (key: string) => request(`${retirement}/api/contributions`, {
      method: 'POST',
      headers: { ...bearer, 'idempotency-key': key },
      json: { planId: plan.body.id, fromAccountId: before.id, amountCents: 1000 }
    })

    // The first bank copy is frozen (`docker pause`), eight contributions are sent at once, and
    // after 1.5 s the frozen copy is killed (SIGKILL). The debits the proxy handed to it were sent
    // and unanswered when it died: those contributions are mid-way, and nginx never resends a POST.
    const keys = Array.from({ length: 8 }, (_, i) => `scale-kill-${i}-${randomUUID()}`)
    await project.pause('bank')
    const sent = keys.map((key) => contribute(key))
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await project.kill('bank')
    const answers = await Promise.all(sent)
    t.same(answers.map((answer) => answer.status === 201 || answer.status === 202), Array(8).fill(true),
      `every contribution is accepted (${answers.map((answer) => answer.status).join(', ')})`)
    t.ok(answers.some((answer) => answer.status === 202), 'some were mid-way at the killed copy: pending (202), left to the workers')
    const ids = answers.map((answer) => answer.body.id as string)
    const state = await project.inspect<{ Status: string }>('bank', '.State')
    t.not(state?.Status, 'running', `the first bank copy is down (${state?.Status})`)

    // A client that lost its answer retries with the same key: the same contribution, nothing new.
    for (const [i, key] of keys.entries()) {
      const again = await contribute(key)
      t.equal(again.body.id, ids[i], `a retry of contribution ${i + 1} answers the same one`)
    }
    const statuses = await poll('every contribution to finish', async () => {
      const current = await Promise.all(ids.map(async (id) => (await request(`${retirement}/api/contributions/${id}`, { headers: bearer })).body.status as string))
      return current.every((status) => status === 'completed' || status === 'failed') ? current : undefined
    }, 60_000, 250).catch((error: Error) => [error.message])
    t.same(statuses, Array(8).fill('completed'), 'every contribution completes, through the surviving bank copy')
    t.equal((await checking()).balanceCents, before.balanceCents - 8000, 'checking is debited once per contribution')
    const planAfter = await request(`${retirement}/api/plans/${plan.body.id}`, { headers: bearer })
    t.equal(planAfter.body.balanceCents, 8000, 'the plan is credited once per contribution')

    // npm run reconcile, from the retirement image, with both databases' credentials (an operator's
    // job: no service container holds both).
    const secret = async (name: string) => (await project.exec('postgres', ['cat', `/run/nestegg-secrets/${name}`], { user: '0' })).stdout
    const url = (name: string, password: string) => `postgres://${name}:${encodeURIComponent(password)}@127.0.0.1:${ports.postgres}/${name}`
    const reconcile = await run('docker', ['run', '--rm', '--network', 'host', '--name', `${PROJECT}-reconcile`,
      '-e', `BANK_DATABASE_URL=${url('bank', await secret('bank-db-password'))}`,
      '-e', `RETIREMENT_DATABASE_URL=${url('retirement', await secret('retirement-db-password'))}`,
      'nestegg-retirement', 'node', 'dist/bin/reconcile.js'], { allowFailure: true })
    t.equal(reconcile.code, 0, `reconcile exits 0: ${reconcile.stdout.trim()}${reconcile.stderr.trim()}`)
    t.match(reconcile.stdout, /match one to one/)
  })
}
