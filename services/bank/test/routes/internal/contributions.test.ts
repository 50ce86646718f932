import { mintAccessToken, mintServiceToken } from '@nestegg/shared-auth/testing'
import t from 'tap'
import { RETIREMENT_CLEARING_ACCOUNT } from '../../../src/domain/ledger/bank-accounts.js'
import { checkLedger } from '../../../src/domain/ledger/ledger-check.js'
import { accountsOf, buildTestApp, loginAs } from '../../helper.js'

/** Reused across the file: argon2 makes every login slow. */
async function setup (t: Parameters<typeof buildTestApp>[0]) {
  const bank = await buildTestApp(t)
  const secret = bank.config.JWT_SECRET as string
  const alice = await loginAs(bank.app, 'alice_ret')
  const bob = await loginAs(bank.app, 'bob_ret')
  const service = (userId: string, scope = 'contributions', claims: Record<string, unknown> = {}) =>
    ({ authorization: `Bearer ${mintServiceToken(userId, { secret, scope, claims })}` })
  const clearing = async () => (await bank.app.database.db.selectFrom('accounts').select('balance_cents')
    .where('id', '=', RETIREMENT_CLEARING_ACCOUNT.id).executeTakeFirstOrThrow()).balance_cents
  return { ...bank, secret, alice, bob, service, clearing }
}

t.test('a retirement service token debits the subject\'s own account into clearing, once per contribution id', async (t) => {
  const { app, alice, service, clearing } = await setup(t)
  const { checking } = await accountsOf(app, alice)
  const post = () => app.inject({
    method: 'POST',
    url: '/internal/contributions',
    headers: { ...service(alice.id), 'idempotency-key': 'contribution-1' },
    payload: { fromAccountId: checking.id, amountCents: 2_500 }
  })
  const first = await post()
  t.equal(first.statusCode, 201)
  t.match(first.json(), { contributionId: 'contribution-1', fromAccountId: checking.id, toAccountNumber: '9000000027', amountCents: 2_500 })
  const again = await post()
  t.equal(again.json().transferId, first.json().transferId, 'the repeat answers the same transfer')
  t.equal((await accountsOf(app, alice)).checking.balanceCents, checking.balanceCents - 2_500, 'debited once')
  t.equal(Number(await clearing()), 2_500)
  t.same((await checkLedger(app.database)).violations, [], 'the ledger balances')
})

t.test('the plan\'s name becomes the memo; a retry with or without it is the same debit', async (t) => {
  const { app, alice, service } = await setup(t)
  const { checking } = await accountsOf(app, alice)
  const post = (payload: Record<string, unknown>) => app.inject({
    method: 'POST',
    url: '/internal/contributions',
    headers: { ...service(alice.id), 'idempotency-key': 'contribution-named' },
    payload: { fromAccountId: checking.id, amountCents: 1_000, ...payload }
  })
  const first = await post({ planName: 'Roth IRA' })
  t.equal(first.statusCode, 201)
  const history = await app.inject({ url: `/api/accounts/${checking.id}/transactions`, headers: alice.bearer })
  t.match(history.json().items[0], { kind: 'contribution', memo: 'Roth IRA' })
  const unnamed = await post({})
  t.equal(unnamed.statusCode, 201, 'a retirement that does not send the name (older, across an upgrade) is not a different request')
  t.equal(unnamed.json().transferId, first.json().transferId)
  t.equal((await accountsOf(app, alice)).checking.balanceCents, checking.balanceCents - 1_000, 'debited once')
  t.equal((await post({ planName: 'bell\u0007' })).statusCode, 400, 'a control character is refused')
})

t.test('refusals: insufficient funds, someone else\'s account; nothing moves', async (t) => {
  const { app, alice, bob, service, clearing } = await setup(t)
  const { checking } = await accountsOf(app, alice)
  const bobs = await accountsOf(app, bob)
  const poor = await app.inject({
    method: 'POST', url: '/internal/contributions',
    headers: { ...service(alice.id), 'idempotency-key': 'c-poor' },
    payload: { fromAccountId: checking.id, amountCents: checking.balanceCents + 1 }
  })
  t.equal(poor.statusCode, 409)
  t.equal(poor.json().code, 'BANK_INSUFFICIENT_FUNDS')
  const foreign = await app.inject({
    method: 'POST', url: '/internal/contributions',
    headers: { ...service(alice.id), 'idempotency-key': 'c-foreign' },
    payload: { fromAccountId: bobs.checking.id, amountCents: 100 }
  })
  t.equal(foreign.statusCode, 404)
  t.equal(foreign.json().code, 'BANK_ACCOUNT_NOT_FOUND')
  t.equal(Number(await clearing()), 0)
  t.equal((await accountsOf(app, bob)).checking.balanceCents, bobs.checking.balanceCents)
})

t.test('only a service token for the bank with the contributions scope gets in', async (t) => {
  const { app, alice, secret, service } = await setup(t)
  const { checking } = await accountsOf(app, alice)
  const attempt = (headers: Record<string, string>) => app.inject({
    method: 'POST', url: '/internal/contributions',
    headers: { ...headers, 'idempotency-key': 'c-auth' },
    payload: { fromAccountId: checking.id, amountCents: 100 }
  })
  const userToken = mintAccessToken({ id: alice.id, username: 'alice_ret', name: 'x' }, { secret })
  const cases: Record<string, Record<string, string>> = {
    'no token': {},
    "the user's own access token": alice.bearer,
    'the access token as a cookie': { cookie: `nestegg_access=${userToken}` },
    'another scope': service(alice.id, 'accounts:read'),
    'addressed to retirement': service(alice.id, 'contributions', { aud: 'nestegg-retirement' }),
    'acting party not the issuer': service(alice.id, 'contributions', { act: { sub: 'nestegg-bank' } })
  }
  for (const [label, headers] of Object.entries(cases)) {
    t.equal((await attempt(headers)).statusCode, 401, label)
  }
  t.equal((await accountsOf(app, alice)).checking.balanceCents, checking.balanceCents)
  // And a service token is no user token: refused where a user is expected.
  t.equal((await app.inject({ url: '/api/accounts', headers: service(alice.id) })).statusCode, 401)
})

t.test('retirement lists the subject\'s accounts with an accounts:read token', async (t) => {
  const { app, alice, service } = await setup(t)
  const response = await app.inject({ url: '/internal/accounts', headers: service(alice.id, 'accounts:read') })
  t.equal(response.statusCode, 200)
  const mine = await app.inject({ url: '/api/accounts', headers: alice.bearer })
  t.same(response.json().accounts, mine.json())
  t.equal((await app.inject({ url: '/internal/accounts', headers: service(alice.id) })).statusCode, 401, 'contributions scope does not read')
})
