import t from 'tap'
import { accountsOf, buildTestApp, loginAs, postTransfer } from '../../helper.js'
import { signedInPages } from '../../page-client.js'

t.test('dashboard and account history pages', async (t) => {
  const { app } = await buildTestApp(t, { RETIREMENT_URL: 'http://localhost:3001' })
  const lee = await loginAs(app, 'lee')
  const max = await loginAs(app, 'max')
  const lees = await accountsOf(app, lee)
  for (let i = 1; i <= 22; i++) {
    await postTransfer(app, lee, { fromAccountId: lees.checking.id, toAccountId: lees.savings.id, amountCents: 100 * i, memo: `step ${i} <b>` })
  }
  const browser = await signedInPages(app, 'lee')

  t.test('the dashboard shows each account, its balance in dollars, recent transactions and the retirement link', async (t) => {
    const page = await browser.get('/')
    t.equal(page.statusCode, 200)
    t.equal(page.headers['cache-control'], 'no-store')
    const moved = 100 * (22 * 23) / 2
    t.match(page.body, `data-account-type="checking">$${((100000 - moved) / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}<`)
    t.match(page.body, `data-account-type="savings">$${(moved / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}<`)
    t.match(page.body, 'Total <strong>$1,000.00</strong>')
    t.match(page.body, 'step 22 &lt;b&gt;', 'memos are escaped')
    t.match(page.body, 'href="http://localhost:3001/"')
    t.match(page.body, `href="/accounts/${lees.savings.id}"`)
  })

  t.test('an account page pages through its history, newest first', async (t) => {
    const first = await browser.get(`/accounts/${lees.savings.id}`)
    t.equal(first.statusCode, 200)
    t.match(first.body, '+$22.00')
    t.notMatch(first.body, /step 2 &lt;/, 'the oldest are on the next page')
    const older = /href="(\/accounts\/[^"]+\?before=[0-9a-f]{26})">Older/.exec(first.body)?.[1]
    t.ok(older, 'an Older link')
    const second = await browser.get(older as string)
    t.match(second.body, 'step 2 &lt;b&gt;')
    t.match(second.body, 'step 1 &lt;b&gt;')
    t.notMatch(second.body, />Older</)
    t.match(second.body, '>Newest<')
  })

  t.test("someone else's account is a 404 page, like a missing one", async (t) => {
    const maxs = await accountsOf(app, max)
    const foreign = await browser.get(`/accounts/${maxs.checking.id}`)
    t.equal(foreign.statusCode, 404)
    t.match(foreign.headers['content-type'], /text\/html/)
    t.match(foreign.body, 'Account not found')
    const missing = await browser.get('/accounts/nothing-here')
    t.equal(missing.statusCode, 404)
    const unknownPage = await browser.get('/no/such/page')
    t.equal(unknownPage.statusCode, 404)
    t.match(unknownPage.headers['content-type'], /text\/html/)
  })
})
