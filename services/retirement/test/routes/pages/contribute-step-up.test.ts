import { accessCookie, mintAccessToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { alice, buildTestApp, openPlan } from '../../helper.js'
import { hiddenField } from './page-helper.js'

t.test('a large contribution with a stale sign-in goes to the bank\'s step-up page and comes back to the form as typed', async (t) => {
  const { app, secret, bank, bearerFor, config } = await buildTestApp(t)
  bank.addAccount('acc-save', alice.id, 2_000_000, 'savings')
  const planId = await openPlan(app, bearerFor(alice), 'roth_ira')
  const stale = accessCookie(mintAccessToken(alice, { secret, claims: { auth_time: Math.floor(Date.now() / 1000) - 900 } }))
  const get = (url: string) => app.inject({ url, headers: { cookie: stale, accept: 'text/html' } })
  const form = await get('/contribute')
  const csrfCookie = form.cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ')
  const typed = { planId, fromAccountId: 'acc-save', amount: '6000.00', idempotencyKey: hiddenField(form.body, 'idempotencyKey') }
  const sent = await app.inject({
    method: 'POST',
    url: '/contribute',
    headers: { cookie: `${stale}; ${csrfCookie}`, origin: 'http://localhost:3001', 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    payload: new URLSearchParams({ ...typed, _csrf: hiddenField(form.body, '_csrf') }).toString()
  })
  t.equal(sent.statusCode, 303)
  const stepUp = new URL(sent.headers.location as string)
  t.equal(stepUp.origin, new URL(config.BANK_URL).origin, "to the bank's step-up page")
  t.equal(stepUp.pathname, '/step-up')
  t.equal(stepUp.searchParams.get('acr'), 'nestegg:pwd')
  t.equal(stepUp.searchParams.get('max_age'), '300')
  const back = new URL(stepUp.searchParams.get('return_to') as string)
  t.equal(back.origin, new URL(config.RETIREMENT_URL).origin)
  t.equal(back.pathname, '/contribute')
  t.equal(bank.accounts.get('acc-save')?.balanceCents, 2_000_000, 'nothing debited')
  t.match(form.headers['content-security-policy'], new RegExp(`form-action 'self' ${new URL(config.BANK_URL).origin}`), 'the CSP lets the form redirect to the bank')

  const refilled = await app.inject({ url: `${back.pathname}${back.search}`, headers: { cookie: accessCookie(mintAccessToken(alice, { secret })), accept: 'text/html' } })
  t.equal(refilled.statusCode, 200)
  t.match(refilled.body, /value="6000.00"/, 'the amount typed')
  t.match(refilled.body, /<option value="acc-save" selected>/, 'the account chosen')
  t.match(refilled.body, new RegExp(`<option value="${planId}" selected>`), 'the plan chosen')
  t.equal(hiddenField(refilled.body, 'idempotencyKey'), typed.idempotencyKey, 'the same key: one contribution at most')
})
