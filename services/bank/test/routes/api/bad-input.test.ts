import type { LightMyRequestResponse } from 'fastify'
import t from 'tap'
import { PASSWORD, accountsOf, buildTestApp, ledgerViolations, loginAs, newKey, postTransfer } from '../../helper.js'
import { pageClient } from '../../page-client.js'

// The bad-input table of the adversarial pass (issue 16): every row is refused with its status and
// code, never a 5xx, and nothing is written. Bidi controls (finding 7) let a name or memo display as
// something else in another customer's history.
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']
const hex = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`

t.test('the bad-input table: the right 4xx, nothing written', async (t) => {
  const { app } = await buildTestApp(t)
  const ann = await loginAs(app, 'ann')
  const { checking, savings } = await accountsOf(app, ann)
  const transfer = (body: Record<string, unknown>) => ({ checking: checking.id, savings: savings.id, ...body })
  const rows: Array<{ name: string, request: () => Promise<LightMyRequestResponse>, status: number, code: string | RegExp }> = [
    ...BIDI.map((c) => ({
      name: `signup name with ${hex(c)}`,
      request: () => app.inject({ method: 'POST', url: '/api/auth/signup', payload: { username: `bidi_${(c.codePointAt(0) ?? 0).toString(16)}`, password: PASSWORD, name: `Ann${c}evil` } }),
      status: 400,
      code: 'BANK_BIDI_CONTROL'
    })),
    ...BIDI.map((c) => ({
      name: `memo with ${hex(c)}`,
      request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, amountCents: 100, memo: `rent${c}0001 refund` }),
      status: 400,
      code: 'BANK_BIDI_CONTROL'
    })),
    { name: 'memo with a NUL', request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, amountCents: 100, memo: 'a\u0000b' }), status: 400, code: 'FST_ERR_VALIDATION' },
    ...[0, -1, 1.5, '100', 100_000_001, null].map((amountCents) => ({
      name: `amountCents ${JSON.stringify(amountCents)}`,
      request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, amountCents }),
      status: 400,
      code: /FST_ERR_VALIDATION|BANK_INVALID_AMOUNT/
    })),
    { name: 'the same source and destination', request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: checking.id, amountCents: 100 }), status: 400, code: 'BANK_SAME_ACCOUNT' },
    { name: 'both destinations', request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, toAccountNumber: savings.number, amountCents: 100 }), status: 400, code: 'BANK_INVALID_TRANSFER' },
    { name: 'no Idempotency-Key', request: () => app.inject({ method: 'POST', url: '/api/transfers', headers: ann.bearer, payload: transfer({ fromAccountId: checking.id, toAccountId: savings.id, amountCents: 100 }) }), status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'an unknown field', request: () => postTransfer(app, ann, { fromAccountId: checking.id, toAccountId: savings.id, amountCents: 100, admin: true }), status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'a body that is not JSON', request: () => app.inject({ method: 'POST', url: '/api/transfers', headers: { ...ann.bearer, 'idempotency-key': newKey(), 'content-type': 'application/json' }, payload: '{"amountCents":' }), status: 400, code: /FST_ERR_CTP_INVALID_JSON_BODY|FST_ERR_VALIDATION|BAD_REQUEST/ },
    { name: 'a history limit of 0', request: () => app.inject({ url: `/api/accounts/${checking.id}/transactions?limit=0`, headers: ann.bearer }), status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'a history limit that is not a number', request: () => app.inject({ url: `/api/accounts/${checking.id}/transactions?limit=ten`, headers: ann.bearer }), status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'a refresh token of 129 characters', request: () => app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: 'A'.repeat(129) } }), status: 400, code: 'FST_ERR_VALIDATION' },
    { name: 'a Bearer token that is not a JWT', request: () => app.inject({ url: '/api/me', headers: { authorization: 'Bearer not.a.jwt' } }), status: 401, code: /^AUTH_/ },
    { name: 'an Authorization header with another scheme', request: () => app.inject({ url: '/api/me', headers: { authorization: 'Basic YTpi' } }), status: 401, code: /^AUTH_/ }
  ]
  for (const row of rows) {
    const response = await row.request()
    t.equal(response.statusCode, row.status, row.name)
    t.match(response.json().code, row.code, row.name)
    if (String(row.code).includes('BIDI')) t.match(response.json().message, /may not contain invisible direction controls/, `${row.name}: a clear message`)
  }
  const after = await accountsOf(app, ann)
  t.equal(after.checking.balanceCents, checking.balanceCents, 'no money moved')
  t.same(await ledgerViolations(app), [])
  const bidiUsers = await app.database.db.selectFrom('users').select('username').where('username', 'like', 'bidi_%').execute()
  t.same(bidiUsers, [], 'no user was created')
})

t.test('the pages refuse bidi controls too, with the message on the form', async (t) => {
  const { app } = await buildTestApp(t)
  const browser = pageClient(app)
  await browser.get('/signup')
  const signup = await browser.post('/signup', { name: 'Mallory\u202eevil', username: 'mallory', password: PASSWORD })
  t.equal(signup.statusCode, 400)
  t.match(signup.body, 'A name may not contain invisible direction controls')
  t.notOk(browser.jar.get('nestegg_access'), 'not signed up')

  await browser.post('/signup', { name: 'Mallory', username: 'mallory', password: PASSWORD })
  const form = await browser.get('/transfer')
  const accounts = (await app.inject({ url: '/api/accounts', cookies: Object.fromEntries(browser.jar) })).json() as Array<{ id: string, type: string }>
  const id = (type: string) => accounts.find((account) => account.type === type)?.id ?? ''
  const page = await browser.post('/transfer', { fromAccountId: id('checking'), toAccountId: id('savings'), toAccountNumber: '', amount: '1.00', memo: 'refund\u2067 0001', idempotencyKey: browser.hidden(form, 'idempotencyKey') })
  t.equal(page.statusCode, 400)
  t.match(page.body, 'A memo may not contain invisible direction controls')
})
