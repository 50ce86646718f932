import t from 'tap'
import { alice, buildTestApp, openPlan } from '../../helper.js'
import { browserFor } from './page-helper.js'

t.test('the layout: navigation with aria-current, a skip link, the user and a way to log out', async (t) => {
  const { app, secret } = await buildTestApp(t, { BANK_URL: 'http://bank.test:3000' })
  const page = await browserFor(app, secret, alice).get('/plans/new')
  t.match(page.body, '<a class="skip-link" href="#main">Skip to main content</a>')
  t.match(page.body, '<main id="main"')
  t.match(page.body, '<a href="/plans/new" aria-current="page">Open a plan</a>')
  t.match(page.body, '<a href="/">Plans</a>', 'only the current page is marked')
  t.match(page.body, '<a class="button header-button" href="http://bank.test:3000/logout">Log out</a>')
  t.match(page.body, '<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">')
  t.match(page.body, '<body class="service-retirement">')
  const plan = await browserFor(app, secret, alice).get(`/plans/${await openPlan(app, { authorization: `Bearer ${(await import('@nestegg/shared-auth/testing')).mintAccessToken(alice, { secret })}` })}`)
  t.match(plan.body, '<a href="/" aria-current="page">Plans</a>', 'a plan page sits under Plans')
})

t.test('the open-a-plan form: each radio inside its own label, labels not bold', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const page = await browserFor(app, secret, alice).get('/plans/new')
  t.match(page.body, /<label class="choice"><input type="radio" name="type" value="401k" checked><span>/)
  const css = (await app.inject('/assets/nestegg.css')).body
  t.match(css, /input\[type="radio"\], input\[type="checkbox"\] \{ width: auto;/, 'radios do not stretch like text fields')
  t.match(css, /\.choice \{[^}]*font-weight: 400/)
})

t.test('a 404 is a page in the layout, with navigation when signed in, and no route name', async (t) => {
  const { app, secret } = await buildTestApp(t)
  const signedIn = await browserFor(app, secret, alice).get('/nope')
  t.equal(signedIn.statusCode, 404)
  t.match(signedIn.body, '<h1>Page not found</h1>')
  t.match(signedIn.body, '<nav class="site-nav" aria-label="Main">')
  t.notMatch(signedIn.body, 'Route GET')
  const anonymous = await app.inject({ url: '/nope', headers: { accept: 'text/html' } })
  t.equal(anonymous.statusCode, 404)
  t.notMatch(anonymous.body, 'site-nav')
  const api = await app.inject({ url: '/api/nope' })
  t.equal(api.json().code, 'NOT_FOUND', 'the API keeps JSON')
})

t.test('a favicon, and times in the time zone the bank\'s settings chose', async (t) => {
  const { app, secret, bearerFor } = await buildTestApp(t)
  const icon = await app.inject('/favicon.ico')
  t.equal(icon.statusCode, 200)
  t.match(icon.headers['content-type'], 'image/svg+xml')
  await openPlan(app, bearerFor(alice))
  const browser = browserFor(app, secret, alice)
  const utc = await browser.get('/')
  t.match(utc.body, 'Times in UTC')
  const inject = (zone: string) => app.inject({ url: '/', headers: { ...bearerFor(alice), cookie: `nestegg_tz=${zone}`, accept: 'text/html' } })
  const newYork = await inject('America/New_York')
  t.match(newYork.body, 'Times in America/New_York')
  t.match((await inject('Mars/Olympus')).body, 'Times in UTC', 'an unknown zone falls back to UTC')
})

t.test('an empty projection says so in words instead of drawing $0 labels', async (t) => {
  const { app, secret, bearerFor } = await buildTestApp(t)
  const planId = await openPlan(app, bearerFor(alice))
  const page = await browserFor(app, secret, alice).get(`/plans/${planId}`)
  t.match(page.body, 'Nothing to project yet.')
  t.notMatch(page.body, '<svg')
  const withMonthly = await browserFor(app, secret, alice).get(`/plans/${planId}?monthly=250`)
  t.match(withMonthly.body, 'class="projection chart-full"')
  t.match(withMonthly.body, 'class="projection chart-compact"')
  t.match(withMonthly.body, '<ul class="chart-legend"', 'the legend sits outside the drawing, over no gridline')
})
