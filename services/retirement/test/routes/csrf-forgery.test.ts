import { accessCookie, mintAccessToken } from '@nestegg/shared-auth/testing'
import t, { type Test } from 'tap'
import { alice, buildTestApp, contribute, openPlan } from '../helper.js'

// What another site can make the victim's browser send: the access cookie rides along, Origin names
// the attacker, and the CSRF token (in a same-site page or cookie) cannot be read.
const EVIL = 'https://evil.example'

async function victim (t: Test) {
  const harness = await buildTestApp(t)
  harness.bank.addAccount('acc-check', alice.id, 100_000, 'checking')
  const planId = await openPlan(harness.app, harness.bearerFor(alice))
  const cookie = accessCookie(mintAccessToken(alice, { secret: harness.secret }))
  const plans = async () => (await harness.app.inject({ url: '/api/plans', headers: harness.bearerFor(alice) })).json().length as number
  const contributions = async () =>
    (await harness.app.inject({ url: `/api/plans/${planId}/contributions`, headers: harness.bearerFor(alice) })).json().length as number
  return { ...harness, planId, cookie, plans, contributions }
}

t.test('a cross-site JSON post with only the cookie writes nothing', async (t) => {
  const v = await victim(t)
  const openPlanForged = await v.app.inject({
    method: 'POST', url: '/api/plans', headers: { cookie: v.cookie, origin: EVIL }, payload: { type: 'roth_ira' }
  })
  t.equal(openPlanForged.statusCode, 403)
  t.equal(openPlanForged.json().code, 'CSRF_ORIGIN_MISMATCH')
  const contributeForged = await contribute(v.app, { cookie: v.cookie, origin: EVIL },
    { planId: v.planId, fromAccountId: 'acc-check', amountCents: 5_000 })
  t.equal(contributeForged.statusCode, 403)
  t.equal(await v.plans(), 1, 'no plan was opened')
  t.equal(await v.contributions(), 0, 'no contribution was recorded')
  t.equal(v.bank.calls, 0, 'the bank was never asked to debit')
  t.equal(v.bank.accounts.get('acc-check')?.balanceCents, 100_000)
})

t.test('same-site but without the CSRF token, or with no Origin at all: refused, nothing written', async (t) => {
  const v = await victim(t)
  const noToken = await v.app.inject({
    method: 'POST', url: '/api/plans', headers: { cookie: v.cookie, origin: v.config.RETIREMENT_URL }, payload: { type: 'roth_ira' }
  })
  t.equal(noToken.statusCode, 403)
  t.match(noToken.json().code, /CSRF/, 'refused by the CSRF check, not by the origin check')
  const noOrigin = await contribute(v.app, { cookie: v.cookie }, { planId: v.planId, fromAccountId: 'acc-check', amountCents: 5_000 })
  t.equal(noOrigin.statusCode, 403)
  const textPlain = await v.app.inject({
    method: 'POST', url: '/api/plans', headers: { cookie: v.cookie, origin: EVIL, 'content-type': 'text/plain' }, payload: JSON.stringify({ type: 'roth_ira' })
  })
  t.ok([400, 403, 415].includes(textPlain.statusCode), `a JSON body sent as text/plain (no preflight): ${textPlain.statusCode}`)
  t.equal(await v.plans(), 1)
  t.equal(await v.contributions(), 0)
  t.equal(v.bank.calls, 0)
})

t.test('a cross-site form post to the pages, with only the cookie, writes nothing', async (t) => {
  const v = await victim(t)
  const form = (url: string, fields: Record<string, string>) => v.app.inject({
    method: 'POST', url,
    headers: { cookie: v.cookie, origin: EVIL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams(fields).toString()
  })
  const newPlan = await form('/plans/new', { type: 'roth_ira', _csrf: 'guessed' })
  t.equal(newPlan.statusCode, 403)
  const contributed = await form('/contribute', {
    _csrf: 'guessed', idempotencyKey: 'forged-key-1', planId: v.planId, fromAccountId: 'acc-check', amount: '50.00'
  })
  t.equal(contributed.statusCode, 403)
  t.equal(await v.plans(), 1, 'no plan was opened')
  t.equal(await v.contributions(), 0, 'no contribution was recorded')
  t.equal(v.bank.calls, 0, 'the bank was never asked to debit')
})
