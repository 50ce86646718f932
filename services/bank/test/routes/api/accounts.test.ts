import t from 'tap'
import { accountsOf, buildTestApp, loginAs, postTransfer } from '../../helper.js'

t.test('accounts and their history', async (t) => {
  const { app } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '100000' })
  const ann = await loginAs(app, 'ann')
  const ben = await loginAs(app, 'ben')

  t.test('signup opens a checking and a savings account, with the welcome deposit in checking', async (t) => {
    const response = await app.inject({ url: '/api/accounts', headers: ann.bearer })
    t.equal(response.statusCode, 200)
    t.equal(response.headers['cache-control'], 'no-store', 'balances are never kept by a browser or proxy')
    const accounts = response.json()
    t.same(accounts.map((a: { type: string }) => a.type).sort(), ['checking', 'savings'])
    const { checking, savings } = await accountsOf(app, ann)
    t.equal(checking.balanceCents, 100000)
    t.equal(savings.balanceCents, 0)
    t.equal(checking.currency, 'USD')
    t.match(checking.number, /^[1-8][0-9]{9}$/)
    t.not(checking.number, savings.number)
    t.same(Object.keys(checking).sort(), ['balanceCents', 'currency', 'id', 'name', 'number', 'type'])
  })

  t.test('the welcome deposit comes from the bank funding account', async (t) => {
    const { checking } = await accountsOf(app, ann)
    const response = await app.inject({ url: `/api/accounts/${checking.id}/transactions`, headers: ann.bearer })
    t.equal(response.statusCode, 200)
    const [welcome] = response.json().items
    t.match(welcome, { kind: 'welcome', amountCents: 100000, balanceAfterCents: 100000, counterparty: { accountNumber: '9000000019' } })
  })

  t.test('history is newest first and pages by cursor', async (t) => {
    const { checking, savings } = await accountsOf(app, ann)
    for (const amountCents of [101, 102, 103, 104, 105]) {
      const response = await postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, amountCents })
      t.equal(response.statusCode, 201)
    }
    const seen: number[] = []
    let before: string | null = null
    let pages = 0
    do {
      const url: string = `/api/accounts/${savings.id}/transactions?limit=2${before ? `&before=${before}` : ''}`
      const page = await app.inject({ url, headers: ann.bearer })
      t.equal(page.statusCode, 200)
      const body = page.json()
      seen.push(...body.items.map((item: { amountCents: number }) => item.amountCents))
      before = body.nextBefore
      pages++
    } while (before !== null && pages < 10)
    t.same(seen, [105, 104, 103, 102, 101], 'every entry once, newest first')
    t.equal(pages, 3)
    const last = (await app.inject({ url: `/api/accounts/${savings.id}/transactions?limit=1`, headers: ann.bearer })).json()
    t.match(last.items[0], { amountCents: 105, balanceAfterCents: 515, counterparty: { accountNumber: checking.number, name: 'Checking' } })
  })

  t.test("someone else's account is not found, exactly like a missing one", async (t) => {
    const { checking } = await accountsOf(app, ann)
    const foreign = await app.inject({ url: `/api/accounts/${checking.id}/transactions`, headers: ben.bearer })
    const missing = await app.inject({ url: '/api/accounts/no-such-account/transactions', headers: ben.bearer })
    t.equal(foreign.statusCode, 404)
    t.same(foreign.json(), missing.json())
    t.equal(foreign.json().code, 'BANK_ACCOUNT_NOT_FOUND')
  })

  t.test('bad paging input is a 400; no token is a 401', async (t) => {
    const { checking } = await accountsOf(app, ann)
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'before=zzz', 'other=1']) {
      const response = await app.inject({ url: `/api/accounts/${checking.id}/transactions?${query}`, headers: ann.bearer })
      t.equal(response.statusCode, 400, query)
    }
    t.equal((await app.inject({ url: '/api/accounts' })).statusCode, 401)
  })
})
