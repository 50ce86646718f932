import t from 'tap'
import { alice, bob, buildTestApp, openPlan } from '../../helper.js'

t.test('open, list and read plans; the type must be a documented one', async (t) => {
  const { app, bearerFor } = await buildTestApp(t)
  const headers = bearerFor(alice)
  const created = await app.inject({ method: 'POST', url: '/api/plans', headers, payload: { type: 'roth_ira' } })
  t.equal(created.statusCode, 201)
  const plan = created.json()
  t.match(plan, { type: 'roth_ira', typeLabel: 'Roth IRA', balanceCents: 0 })
  t.equal(created.headers.location, `/api/plans/${plan.id}`)

  const list = await app.inject({ url: '/api/plans', headers })
  t.same(list.json().map((p: { id: string }) => p.id), [plan.id])

  const detail = await app.inject({ url: `/api/plans/${plan.id}`, headers })
  t.equal(detail.statusCode, 200)
  t.match(detail.json(), { id: plan.id, taxYear: 2026, annualLimitCents: 750_000, contributedThisYearCents: 0, remainingThisYearCents: 750_000 })

  const unknown = await app.inject({ method: 'POST', url: '/api/plans', headers, payload: { type: 'pension' } })
  t.equal(unknown.statusCode, 400)
  t.equal(unknown.json().code, 'RET_UNKNOWN_PLAN_TYPE')
  t.match(unknown.json().message, /401k, traditional_ira, roth_ira/)
  const extra = await app.inject({ method: 'POST', url: '/api/plans', headers, payload: { type: '401k', balanceCents: 100 } })
  t.equal(extra.statusCode, 400)
  t.equal((await app.inject({ url: '/api/plans', headers })).json().length, 1, 'nothing half-written')
})

t.test("another user's plan does not exist for you", async (t) => {
  const { app, bearerFor } = await buildTestApp(t)
  const planId = await openPlan(app, bearerFor(alice))
  for (const url of [`/api/plans/${planId}`, `/api/plans/${planId}/contributions`, `/api/plans/${planId}/projection`]) {
    const response = await app.inject({ url, headers: bearerFor(bob) })
    t.equal(response.statusCode, 404, url)
    t.equal(response.json().code, 'RET_PLAN_NOT_FOUND')
  }
  t.same((await app.inject({ url: '/api/plans', headers: bearerFor(bob) })).json(), [])
})

t.test('projection: a yearly series from the plan balance, every input validated', async (t) => {
  const { app, bearerFor, bank } = await buildTestApp(t)
  const headers = bearerFor(alice)
  bank.addAccount('acc-alice', alice.id, 5_000_000)
  const planId = await openPlan(app, headers)
  await app.inject({ method: 'POST', url: '/api/contributions', headers: { ...headers, 'idempotency-key': 'p1' }, payload: { planId, fromAccountId: 'acc-alice', amountCents: 1_000_000 } })

  const response = await app.inject({ url: `/api/plans/${planId}/projection?years=2&annualReturnPct=12&monthlyContributionCents=10000`, headers })
  t.equal(response.statusCode, 200)
  const body = response.json()
  t.match(body, { planId, startingBalanceCents: 1_000_000, years: 2, annualReturnPct: 12, monthlyContributionCents: 10_000 })
  t.same(body.points.map((point: { balanceCents: number }) => point.balanceCents), [1_000_000, 1_253_650, 1_539_469])

  const defaults = await app.inject({ url: `/api/plans/${planId}/projection`, headers })
  t.match(defaults.json(), { years: 30, annualReturnPct: 5, monthlyContributionCents: 0 })
  t.equal(defaults.json().points.length, 31)

  const bad = {
    'years=0': /years/,
    'years=61': /years/,
    'years=2.5': /years/,
    'years=ten': /years/,
    'annualReturnPct=abc': /annualReturnPct/,
    'annualReturnPct=31': /annualReturnPct/,
    'annualReturnPct=NaN': /annualReturnPct/,
    'annualReturnPct=Infinity': /annualReturnPct/,
    'annualReturnPct=1e999': /annualReturnPct/,
    'monthlyContributionCents=-1': /monthlyContributionCents/,
    'monthlyContributionCents=1.5': /monthlyContributionCents/,
    'horizon=5': /additional/
  }
  for (const [query, message] of Object.entries(bad)) {
    const refused = await app.inject({ url: `/api/plans/${planId}/projection?${query}`, headers })
    t.equal(refused.statusCode, 400, query)
    t.match(refused.json().message, message, query)
  }
  // Issue 16, finding 3: at a tiny return the balance was $10,000 and the growth −$360,000.
  const tiny = await app.inject({ url: `/api/plans/${planId}/projection?years=30&annualReturnPct=1e-20&monthlyContributionCents=100000`, headers })
  t.equal(tiny.statusCode, 200)
  t.match(tiny.json().points[30], { balanceCents: 1_000_000 + 36_000_000, growthCents: 0 }, 'a tiny return projects what was paid in')
})

t.test('every plan route needs a user token; a service token is refused', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const { mintServiceToken } = await import('@nestegg/shared-auth/testing')
  const serviceToken = mintServiceToken(alice.id, { secret, claims: { aud: 'nestegg-retirement', iss: 'nestegg-bank', act: { sub: 'nestegg-bank' } } })
  for (const [method, url] of [['GET', '/api/plans'], ['POST', '/api/plans'], ['GET', '/api/plans/x'], ['GET', '/api/contributions/x']] as const) {
    t.equal((await app.inject({ method, url, payload: method === 'POST' ? { type: '401k' } : undefined })).statusCode, 401, `${method} ${url} without token`)
    const withService = await app.inject({ method, url, headers: { authorization: `Bearer ${serviceToken}` }, payload: method === 'POST' ? { type: '401k' } : undefined })
    t.equal(withService.statusCode, 401, `${method} ${url} with a service token`)
  }
})
