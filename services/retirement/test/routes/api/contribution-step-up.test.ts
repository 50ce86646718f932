import { mintAccessToken, randomSecret } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, bob, buildTestApp, contribute, openPlan } from '../../helper.js'

const now = () => Math.floor(Date.now() / 1000)
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

async function setup (t: Parameters<typeof buildTestApp>[0], env: Record<string, string> = {}) {
  const context = await buildTestApp(t, env)
  context.bank.addAccount('acc-alice', alice.id, 2_000_000)
  context.bank.addAccount('acc-bob', bob.id, 2_000_000)
  const planId = await openPlan(context.app, context.bearerFor(alice))
  const token = (user = alice, claims: Record<string, unknown> = {}) => mintAccessToken(user, { secret: context.secret, claims })
  return { ...context, planId, token }
}

t.test('a contribution above $5,000 with a stale sign-in: the RFC 9470 challenge, before any other rule', async (t) => {
  const { app, bank, planId, token } = await setup(t)
  const stale = token(alice, { auth_time: now() - 301 })
  const refused = await contribute(app, bearer(stale), { planId, fromAccountId: 'acc-alice', amountCents: 500_001 })
  t.equal(refused.statusCode, 401)
  t.equal(refused.headers['www-authenticate'], 'Bearer error="insufficient_user_authentication", error_description="A fresh sign-in is required", acr_values="nestegg:pwd", max_age=300')
  t.equal(refused.json().code, 'STEP_UP_REQUIRED')
  const noKey = await app.inject({ method: 'POST', url: '/api/contributions', headers: bearer(stale), payload: { planId, fromAccountId: 'acc-alice', amountCents: 500_001 } })
  t.equal(noKey.json().code, 'STEP_UP_REQUIRED', 'before the missing Idempotency-Key')
  const unknownPlan = await contribute(app, bearer(stale), { planId: 'no-such-plan', fromAccountId: 'acc-alice', amountCents: 500_001 })
  t.equal(unknownPlan.json().code, 'STEP_UP_REQUIRED', 'before the plan is looked up')
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 2_000_000, 'nothing debited')

  t.equal((await contribute(app, bearer(stale), { planId, fromAccountId: 'acc-alice', amountCents: 500_000 })).statusCode, 201, 'at the threshold: no step-up')
  t.equal((await contribute(app, bearer(token(alice, { auth_time: now() - 299 })), { planId, fromAccountId: 'acc-alice', amountCents: 500_001 })).statusCode, 201, 'fresh enough')
  const passkey = token(alice, { acr: 'nestegg:passkey', amr: ['hwk', 'user'] })
  t.equal((await contribute(app, bearer(passkey), { planId, fromAccountId: 'acc-alice', amountCents: 600_000 })).statusCode, 201, 'a passkey meets the password level')
})

t.test('attacks: a forged acr, a stale auth_time, another customer\'s fresh token', async (t) => {
  const { app, bank, planId, token, secret } = await setup(t, { STEP_UP_ACR: 'nestegg:passkey' })
  const payload = { planId, fromAccountId: 'acc-alice', amountCents: 700_000 }
  const [h, p, s] = token(alice).split('.') as [string, string, string]
  const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), acr: 'nestegg:passkey', amr: ['hwk', 'user'] })).toString('base64url')
  const forged = {
    'acr raised, signature kept': `${h}.${raised}.${s}`,
    'acr raised, unsigned': `${h}.${raised}.`,
    'signed with a wrong key': mintAccessToken(alice, { secret: randomSecret(), claims: { acr: 'nestegg:passkey', amr: ['hwk', 'user'] } })
  }
  for (const [name, forgedToken] of Object.entries(forged)) {
    const response = await contribute(app, bearer(forgedToken), payload)
    t.equal(response.statusCode, 401, name)
    t.equal(response.json().code, 'AUTH_TOKEN_INVALID', name)
  }
  const stalePasskey = await contribute(app, bearer(token(alice, { acr: 'nestegg:passkey', amr: ['hwk', 'user'], auth_time: now() - 3600 })), payload)
  t.equal(stalePasskey.json().code, 'STEP_UP_REQUIRED', 'a passkey sign-in an hour old')
  const password = await contribute(app, bearer(token(alice)), payload)
  t.match(password.headers['www-authenticate'], /acr_values="nestegg:passkey"/, 'a fresh password is not a passkey')

  const bobsFresh = mintAccessToken(bob, { secret, claims: { acr: 'nestegg:passkey', amr: ['hwk', 'user'] } })
  const asBob = await contribute(app, bearer(bobsFresh), payload)
  t.not(asBob.statusCode, 201, "bob's step-up does not open alice's plan or account")
  t.equal(bank.accounts.get('acc-alice')?.balanceCents, 2_000_000)
})

t.test('STEP_UP_CONTRIBUTION_ABOVE_CENTS moves the threshold', async (t) => {
  const { app, planId, token } = await setup(t, { STEP_UP_CONTRIBUTION_ABOVE_CENTS: '1000' })
  const stale = bearer(token(alice, { auth_time: now() - 600 }))
  t.equal((await contribute(app, stale, { planId, fromAccountId: 'acc-alice', amountCents: 1_001 })).statusCode, 401)
  t.equal((await contribute(app, stale, { planId, fromAccountId: 'acc-alice', amountCents: 1_000 })).statusCode, 201)
})
