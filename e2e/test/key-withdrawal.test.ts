// Emergency key withdrawal across real processes (issue 20, item 3; docs/security.md): the bank's
// key file loses a kid, the bank gets SIGHUP, and every party refuses tokens of that kid within 5 s.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateEd25519Jwk } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { eventually, startStack } from './support/services.js'

t.test('eddsa: after SIGHUP with a kid withdrawn, retirement and the third service refuse its tokens within 5 s', async (t) => {
  const stack = await startStack({ AUTH_MODE: 'eddsa' }, { insurance: true })
  t.teardown(() => stack.stop())
  const insurance = stack.insurance
  if (insurance === undefined) throw new Error('the stack has no third service')
  const me = async (url: string, token: string) => (await request(`${url}/api/me`, { headers: { authorization: `Bearer ${token}` } })).status
  const statuses = async (token: string) => [await me(stack.retirement.url, token), await me(insurance.url, token)]

  const alice = await signupAndLogin(stack.bank.url, 'withdrawn_alice')
  const kid = JSON.parse(Buffer.from(alice.token.split('.')[0] ?? '', 'base64url').toString()).kid
  t.equal(kid, 'bank-e2e')
  t.same(await statuses(alice.token), [200, 200], 'accepted (and cached) by both parties')

  // The compromised key leaves the bank's key file; a fresh one takes its place.
  writeFileSync(join(stack.dataDir, 'bank-keys.json'), JSON.stringify({ keys: [generateEd25519Jwk('bank-e2e-2')] }), { mode: 0o600 })
  const signalled = Date.now()
  stack.bank.process.kill('SIGHUP')
  let seen: number[] = []
  t.ok(await eventually(() => seen.every((status) => status === 401), 5000, async () => { seen = await statuses(alice.token) }), 'refused by both within 5 s')
  t.ok(Date.now() - signalled < 5000, `took ${Date.now() - signalled} ms`)
  // Log lines arrive on the process's stdout a little after the answers that follow them.
  t.ok(await eventually(() => stack.bank.logs.some((line) => line.msg === 'keys-changed notice delivered' && line.party === 'insurance'), 2000), 'the bank told the third service')

  const again = await request(`${stack.bank.url}/api/auth/login`, { method: 'POST', json: { username: 'withdrawn_alice', password: 'correct horse battery staple' } })
  const fresh = again.body.accessToken as string
  t.equal(JSON.parse(Buffer.from(fresh.split('.')[0] ?? '', 'base64url').toString()).kid, 'bank-e2e-2')
  t.same(await statuses(fresh), [200, 200], 'a login after the withdrawal works everywhere')
  t.equal((await request(`${stack.retirement.url}/readyz`)).status, 200, 'retirement stays ready: its setup matches the bank\'s')
})
