import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { request, signupAndLogin } from './support/http.js'
import { eventually, incomingRequests, startStack } from './support/services.js'

t.test('log in once at the bank; retirement accepts the same token and never calls the bank', async (t) => {
  const stack = await startStack()
  t.teardown(() => stack.stop())
  const { token, cookie, id } = await signupAndLogin(stack.bank.url, 'ssouser')
  // Count the bank's requests once the login and retirement's start-up catch-up have both been logged.
  const completed = (url: string) => incomingRequests(stack.bank).some((l) => String((l.req as any)?.url).startsWith(url))
  await eventually(() => completed('/api/auth/login') && completed('/internal/revoked-sessions'))
  const bankRequestsBefore = incomingRequests(stack.bank).length

  const viaCookie = await request(`${stack.retirement.url}/api/me`, { headers: { cookie } })
  t.equal(viaCookie.status, 200)
  t.same(viaCookie.body, { id, username: 'ssouser', name: 'ssouser E2E' })

  const viaBearer = await request(`${stack.retirement.url}/api/me`, { headers: { authorization: `Bearer ${token}` } })
  t.equal(viaBearer.status, 200)
  t.equal(viaBearer.body.id, id)

  const plans = await request(`${stack.retirement.url}/api/plans`, { headers: { cookie } })
  t.equal(plans.status, 200)

  const [header, payload, signature] = token.split('.') as [string, string, string]
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else' })).toString('base64url')
  const tampered = await request(`${stack.retirement.url}/api/me`, { headers: { authorization: `Bearer ${header}.${forged}.${signature}` } })
  t.equal(tampered.status, 401)
  t.equal(tampered.body.code, 'AUTH_TOKEN_INVALID')

  const otherSecret = mintAccessToken({ id, username: 'ssouser', name: 'x' }, { secret: randomSecret() })
  const foreign = await request(`${stack.retirement.url}/api/me`, { headers: { authorization: `Bearer ${otherSecret}` } })
  t.equal(foreign.status, 401)

  // Logs arrive asynchronously: wait until retirement's own lines are in, then count the bank's.
  t.ok(await eventually(() => incomingRequests(stack.retirement).filter((l) => String((l.req as any)?.url).startsWith('/api/')).length >= 5), 'retirement logged the requests')
  t.equal(incomingRequests(stack.bank).length, bankRequestsBefore, 'the bank received no request during any of it')
})
