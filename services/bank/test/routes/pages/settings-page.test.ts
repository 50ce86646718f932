import t from 'tap'
import { buildTestApp, loginAs, postTransfer, accountsOf } from '../../helper.js'
import { signedInPages } from '../../page-client.js'

t.test('times show in UTC until the customer chooses a time zone; then in theirs, on every page', async (t) => {
  const { app } = await buildTestApp(t)
  const kai = await loginAs(app, 'kai')
  const accounts = await accountsOf(app, kai)
  await postTransfer(app, kai, { fromAccountId: accounts.checking.id, toAccountId: accounts.savings.id, amountCents: 100 })
  const browser = await signedInPages(app, 'kai')

  const before = await browser.get('/')
  t.match(before.body, /<time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M UTC<\/time>/)
  t.match(before.body, 'Times in UTC')

  const settings = await browser.get('/settings')
  t.match(settings.body, '<label for="timeZone">Time zone</label>')
  t.match(settings.body, '<option value="UTC" selected>UTC (the default)</option>')
  const saved = await browser.post('/settings', { timeZone: 'Asia/Tokyo' })
  t.equal(saved.statusCode, 303)
  t.equal(browser.jar.get('nestegg_tz'), 'Asia/Tokyo')
  t.match((await browser.get('/settings?saved=1')).body, 'Times are now shown in Asia/Tokyo')

  const after = await browser.get('/')
  t.match(after.body, /<time datetime="[^"]+">[A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M GMT\+9<\/time>/)
  t.match(after.body, 'Times in Asia/Tokyo')

  const wrong = await browser.post('/settings', { timeZone: 'Nowhere/Special' })
  t.equal(wrong.statusCode, 400)
  t.match(wrong.body, 'Choose a time zone from the list.')
  await browser.post('/settings', { timeZone: 'UTC' })
  t.notOk(browser.jar.get('nestegg_tz'), 'UTC is the default: no cookie needed')
})

t.test('a 404 keeps the navigation for a signed-in customer and names no route; a favicon is served', async (t) => {
  const { app } = await buildTestApp(t)
  await loginAs(app, 'lin')
  const browser = await signedInPages(app, 'lin')
  const missing = await browser.get('/nope')
  t.equal(missing.statusCode, 404)
  t.match(missing.body, '<h1>Page not found</h1>')
  t.match(missing.body, '<nav class="site-nav" aria-label="Main">')
  t.notMatch(missing.body, 'Route GET')
  const home = await browser.get('/')
  t.match(home.body, '<a href="/" aria-current="page">Accounts</a>')
  t.match(home.body, '<a class="skip-link" href="#main">')
  const icon = await app.inject('/favicon.ico')
  t.equal(icon.statusCode, 200)
  t.match(icon.headers['content-type'], 'image/svg+xml')
})
