import { mintServiceToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { accountsOf, buildTestApp, ledgerViolations, loginAs, newKey, postTransfer } from '../../helper.js'

t.test('transfers', async (t) => {
  const { app, config } = await buildTestApp(t, { WELCOME_DEPOSIT_CENTS: '50000' })
  const cat = await loginAs(app, 'cat')
  const dan = await loginAs(app, 'dan')
  const cats = await accountsOf(app, cat)
  const dans = await accountsOf(app, dan)
  const balances = async () => ({ cat: await accountsOf(app, cat), dan: await accountsOf(app, dan) })
  const snapshot = async () => {
    const now = await balances()
    return [now.cat.checking.balanceCents, now.cat.savings.balanceCents, now.dan.checking.balanceCents, now.dan.savings.balanceCents]
  }

  t.test('between own accounts: 201 with the transfer, both balances move', async (t) => {
    const response = await postTransfer(app, cat, { fromAccountId: cats.checking.id, toAccountId: cats.savings.id, amountCents: 1234, memo: 'rainy day' })
    t.equal(response.statusCode, 201)
    t.match(response.json(), {
      id: /^[0-9a-f]{26}$/,
      kind: 'transfer',
      fromAccountId: cats.checking.id,
      toAccountId: cats.savings.id,
      toAccountNumber: cats.savings.number,
      amountCents: 1234,
      currency: 'USD',
      memo: 'rainy day'
    })
    t.same(await snapshot(), [50000 - 1234, 1234, 50000, 0])
  })

  t.test('to another customer, by account number', async (t) => {
    const response = await postTransfer(app, cat, { fromAccountId: cats.checking.id, toAccountNumber: dans.savings.number, amountCents: 766 })
    t.equal(response.statusCode, 201)
    t.equal(response.json().toAccountId, dans.savings.id)
    t.same(await snapshot(), [50000 - 2000, 1234, 50000, 766])
    const history = (await app.inject({ url: `/api/accounts/${dans.savings.id}/transactions`, headers: dan.bearer })).json()
    t.match(history.items[0], { amountCents: 766, counterparty: { accountNumber: cats.checking.number, name: 'cat Tester' } })
  })

  t.test('every refusal is coded and writes nothing', async (t) => {
    const before = await snapshot()
    const from = cats.checking.id
    const cases: Array<[Record<string, unknown>, number, string]> = [
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 10_000_000 }, 409, 'BANK_INSUFFICIENT_FUNDS'],
      [{ fromAccountId: from, toAccountId: 'no-such-account', amountCents: 1 }, 404, 'BANK_ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: from, toAccountNumber: '1234567897', amountCents: 1 }, 404, 'BANK_ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: dans.checking.id, toAccountId: cats.savings.id, amountCents: 1 }, 404, 'BANK_ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: from, toAccountNumber: '9000000019', amountCents: 1 }, 404, 'BANK_ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: from, toAccountNumber: '9000000027', amountCents: 1 }, 404, 'BANK_ACCOUNT_NOT_FOUND'],
      [{ fromAccountId: from, toAccountId: from, amountCents: 1 }, 400, 'BANK_SAME_ACCOUNT'],
      [{ fromAccountId: from, toAccountNumber: cats.checking.number, amountCents: 1 }, 400, 'BANK_SAME_ACCOUNT'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, toAccountNumber: dans.savings.number, amountCents: 1 }, 400, 'BANK_INVALID_TRANSFER'],
      [{ fromAccountId: from, amountCents: 1 }, 400, 'BANK_INVALID_TRANSFER'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 0 }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: -5 }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 1.5 }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: '100' }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 100_000_001 }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 1, extra: true }, 400, 'FST_ERR_VALIDATION'],
      [{ fromAccountId: from, toAccountId: cats.savings.id, amountCents: 1, memo: 'x'.repeat(141) }, 400, 'FST_ERR_VALIDATION']
    ]
    for (const [body, status, code] of cases) {
      const response = await postTransfer(app, cat, body)
      t.equal(response.statusCode, status, JSON.stringify(body))
      t.equal(response.json().code, code, JSON.stringify(body))
    }
    const noKey = await app.inject({ method: 'POST', url: '/api/transfers', headers: cat.bearer, payload: { fromAccountId: from, toAccountId: cats.savings.id, amountCents: 1 } })
    t.equal(noKey.statusCode, 400, 'the Idempotency-Key header is required')
    t.match(noKey.json().message, /idempotency-key/)
    t.same(await snapshot(), before)
    t.same(await ledgerViolations(app), [])
  })

  t.test('the same key and body answer the same transfer; a different body is a 422', async (t) => {
    const key = newKey()
    const body = { fromAccountId: cats.savings.id, toAccountId: cats.checking.id, amountCents: 34 }
    const first = await postTransfer(app, cat, body, key)
    const before = await snapshot()
    const again = await postTransfer(app, cat, body, key)
    t.equal(first.statusCode, 201)
    t.equal(again.statusCode, 201)
    t.same(again.json(), first.json())
    t.same(await snapshot(), before, 'booked once')
    const changed = await postTransfer(app, cat, { ...body, amountCents: 35 }, key)
    t.equal(changed.statusCode, 422)
    t.equal(changed.json().code, 'BANK_IDEMPOTENCY_KEY_REUSED')
    const otherUser = await postTransfer(app, dan, { fromAccountId: dans.checking.id, toAccountId: dans.savings.id, amountCents: 34 }, key)
    t.equal(otherUser.statusCode, 201, 'keys are scoped to the user')
    t.not(otherUser.json().id, first.json().id)
  })

  t.test('with the cookie, a transfer needs a CSRF token and a same-site Origin', async (t) => {
    const body = { fromAccountId: cats.checking.id, toAccountId: cats.savings.id, amountCents: 1 }
    const cookies = { nestegg_access: cat.token }
    const bare = await app.inject({ method: 'POST', url: '/api/transfers', cookies, headers: { 'idempotency-key': newKey() }, payload: body })
    t.equal(bare.statusCode, 403)
    const csrf = await app.inject({ url: '/api/csrf-token', cookies })
    const csrfCookie = csrf.cookies.find((c) => c.name === 'nestegg_bank_csrf')?.value as string
    const headers = { 'idempotency-key': newKey(), 'x-csrf-token': csrf.json().csrfToken, origin: 'http://localhost:3000' }
    const foreignOrigin = await app.inject({ method: 'POST', url: '/api/transfers', cookies: { ...cookies, nestegg_bank_csrf: csrfCookie }, headers: { ...headers, origin: 'https://evil.example' }, payload: body })
    t.equal(foreignOrigin.statusCode, 403)
    t.equal(foreignOrigin.json().code, 'CSRF_ORIGIN_MISMATCH')
    const ok = await app.inject({ method: 'POST', url: '/api/transfers', cookies: { ...cookies, nestegg_bank_csrf: csrfCookie }, headers, payload: body })
    t.equal(ok.statusCode, 201)
  })

  t.test('a service token is not a user token here', async (t) => {
    const token = mintServiceToken(cat.id, { secret: config.JWT_SECRET as string })
    const response = await app.inject({ method: 'POST', url: '/api/transfers', headers: { authorization: `Bearer ${token}`, 'idempotency-key': newKey() }, payload: { fromAccountId: cats.checking.id, toAccountId: cats.savings.id, amountCents: 1 } })
    t.equal(response.statusCode, 401)
  })

  t.test('the invariants hold after all of it', async (t) => {
    t.same(await ledgerViolations(app), [])
  })
})
