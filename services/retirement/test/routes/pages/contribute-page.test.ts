import t from 'tap'
import { alice, buildTestApp, openPlan } from '../../helper.js'
import { browserFor, hiddenField } from './page-helper.js'

t.test('open a plan and contribute through the forms; a double submit is one contribution', async (t) => {
  const { app, secret, bank, bearerFor } = await buildTestApp(t)
  bank.addAccount('acc-check', alice.id, 50_000, 'checking')
  bank.addAccount('acc-save', alice.id, 900_000, 'savings')
  const browser = browserFor(app, secret, alice)

  const newPlan = await browser.get('/plans/new')
  t.equal(newPlan.statusCode, 200)
  t.match(newPlan.body, 'Roth IRA')
  const opened = await browser.post('/plans/new', { type: 'roth_ira', _csrf: hiddenField(newPlan.body, '_csrf') })
  t.equal(opened.statusCode, 303)
  const planId = /^\/plans\/([\w-]+)$/.exec(opened.headers.location as string)?.[1] as string
  t.ok(planId)

  const form = await browser.get(`/contribute?planId=${planId}`)
  t.equal(form.statusCode, 200)
  t.equal(form.headers['cache-control'], 'no-store', 'a page with balances is never kept by a cache')
  t.match(form.body, /<option value="acc-check" selected>Checking ··\d{4} \(\$500\.00 available\)/)
  t.match(form.body, new RegExp(`<option value="${planId}" selected>`))
  const fields = { _csrf: hiddenField(form.body, '_csrf'), idempotencyKey: hiddenField(form.body, 'idempotencyKey'), planId, fromAccountId: 'acc-check', amount: '125.50' }
  const first = await browser.post('/contribute', fields)
  const second = await browser.post('/contribute', fields)
  t.equal(first.statusCode, 303)
  t.equal(second.headers.location, first.headers.location, 'the second submit lands on the same contribution')
  t.match(first.headers.location, new RegExp(`^/plans/${planId}\\?contribution=`))
  t.equal(bank.accounts.get('acc-check')?.balanceCents, 37_450)

  const plan = await browser.get(first.headers.location as string)
  t.match(plan.body, '<p class="balance big" id="plan-balance">$125.50</p>')
  t.match(plan.body, /class="alert alert-success" role="status" id="contribution-result">[^]*Your contribution of \$125\.50 is completed/)
  t.match(plan.body, /<td data-label="From account">Checking ··\d{4}<\/td>/, 'the account by type and last digits')
  t.notMatch(plan.body, '>acc-check<', 'never the account id')
  t.match(plan.body, '<svg')
  const api = await app.inject({ url: `/api/plans/${planId}/contributions`, headers: bearerFor(alice) })
  t.equal(api.json().length, 1)
})

t.test('form errors re-render the form with the message; nothing is contributed', async (t) => {
  const { app, secret, bank, bearerFor } = await buildTestApp(t)
  bank.addAccount('acc-check', alice.id, 50_000)
  bank.addAccount('acc-save', alice.id, 2_000_000, 'savings')
  const planId = await openPlan(app, bearerFor(alice), 'roth_ira')
  const browser = browserFor(app, secret, alice)
  const form = await browser.get('/contribute')
  const base = { _csrf: hiddenField(form.body, '_csrf'), idempotencyKey: hiddenField(form.body, 'idempotencyKey'), planId, fromAccountId: 'acc-check' }
  const bad = await browser.post('/contribute', { ...base, amount: '12.345' })
  t.equal(bad.statusCode, 400)
  t.match(bad.body, 'Enter an amount in dollars')
  const overBalance = await browser.post('/contribute', { ...base, amount: '5000' })
  t.equal(overBalance.statusCode, 409, 'more than the account has is refused by the server')
  t.match(overBalance.body, /Checking ··\d{4} has \$500\.00 available\. Enter \$500\.00 or less/)
  t.match(overBalance.body, 'value="5000"', 'the form keeps the amount')
  const over = await browser.post('/contribute', { ...base, fromAccountId: 'acc-save', amount: '7500.01' })
  t.equal(over.statusCode, 409)
  t.match(over.body, 'would exceed the 2026 IRA limit of $7,500.00')
  // A tampered id (here with a NUL, which PostgreSQL cannot hold) is refused before the database and the bank.
  for (const field of ['planId', 'fromAccountId']) {
    const nul = await browser.post('/contribute', { ...base, [field]: 'acc\u0000x', amount: '1.00' })
    t.equal(nul.statusCode, 400, `a NUL in ${field}`)
  }
  t.equal(bank.calls, 0)
})

t.test('state changes need the CSRF token and a same-site origin', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const browser = browserFor(app, secret, alice)
  const page = await browser.get('/plans/new')
  t.equal((await browser.post('/plans/new', { type: '401k', _csrf: 'forged' })).statusCode, 403)
  const crossSite = browserFor(app, secret, alice, 'http://evil.test')
  await crossSite.get('/plans/new')
  t.equal((await crossSite.post('/plans/new', { type: '401k', _csrf: hiddenField(page.body, '_csrf') })).statusCode, 403)
  t.equal((await app.inject({ url: '/api/plans', headers: { cookie: `nestegg_access=${(await import('@nestegg/shared-auth/testing')).mintAccessToken(alice, { secret })}` } })).json().length, 0)
})

t.test('when the bank cannot list accounts the page says so instead of failing', async (t) => {
  const { app, secret, bank, bearerFor } = await buildTestApp(t)
  await openPlan(app, bearerFor(alice))
  bank.down = true
  const page = await browserFor(app, secret, alice).get('/contribute')
  t.equal(page.statusCode, 200)
  t.match(page.body, 'cannot be listed right now')
  t.notMatch(page.body, 'action="/contribute"')
})

t.test('a contribution the bank refused shows as an error that says what to do', async (t) => {
  const { app, secret, bank, bearerFor } = await buildTestApp(t)
  bank.addAccount('acc-check', alice.id, 1_000)
  const planId = await openPlan(app, bearerFor(alice), 'roth_ira')
  // Through the API, which has no balance check of its own: the bank refuses it.
  const created = await app.inject({
    method: 'POST',
    url: '/api/contributions',
    headers: { ...bearerFor(alice), 'idempotency-key': 'refused-1' },
    payload: { planId, fromAccountId: 'acc-check', amountCents: 500_000 }
  })
  const contribution = created.json().contribution ?? created.json()
  t.equal(contribution.status, 'failed')
  const page = await browserFor(app, secret, alice).get(`/plans/${planId}?contribution=${contribution.id}`)
  t.match(page.body, /class="alert alert-error" role="alert" id="contribution-result">/)
  t.match(page.body, 'Your contribution of $5,000.00 failed.')
  t.match(page.body, 'did not have enough money. Nothing was taken from it.')
  t.notMatch(page.body, 'alert-success')
})
