import t from 'tap'
import { type TransferIntent, transferNeedsStepUp } from '../../../src/domain/security/step-up-rules.js'
import { accountsOf, buildTestApp, lateClock, loginAs, postTransfer } from '../../helper.js'

// The passkey-removal rule, which the passkey routes put on their DELETE: here on a stand-in route,
// with logins 10 minutes old.
t.test('requireStepUpFor(passkeyRemoval): a stale sign-in is refused with the challenge unless the rule is off', async (t) => {
  for (const [setting, expected] of [['true', 401], ['false', 204]] as const) {
    const clock = lateClock(600)
    const { app } = await buildTestApp(t, { STEP_UP_PASSKEY_REMOVAL: setting }, {
      securityRetention: false,
      clock: clock.now,
      beforeReady: (app) => {
        app.delete('/test/passkeys/:id', { onRequest: [app.authenticate], preHandler: [app.requireStepUpFor('passkeyRemoval')] }, async (_request, reply) => reply.code(204).send())
      }
    })
    const ann = await loginAs(app, 'ann')
    const response = await app.inject({ method: 'DELETE', url: '/test/passkeys/k1', headers: ann.bearer })
    t.equal(response.statusCode, expected, `STEP_UP_PASSKEY_REMOVAL=${setting}`)
    if (expected === 401) t.match(response.headers['www-authenticate'], /insufficient_user_authentication/)
  }
})

// The transfer rule, on the real bank's database: one statement reads the destination and whether
// the customer paid it before (the ledger reads the destination again, inside its transaction).
t.test('transferNeedsStepUp: own accounts never, above the threshold or a payee never paid always, in one statement', async (t) => {
  const { app } = await buildTestApp(t, { STEP_UP_TRANSFER_ABOVE_CENTS: '100000' })
  const ann = await loginAs(app, 'ann')
  const bob = await loginAs(app, 'bob')
  const annAccounts = await accountsOf(app, ann)
  const bobAccounts = await accountsOf(app, bob)
  let statements = 0
  const db = app.database.db.withPlugin({
    transformQuery: (args) => { statements += 1; return args.node },
    transformResult: async (args) => args.result
  })
  const needs = async (intent: Omit<TransferIntent, 'userId'>, rules = app.stepUpRules) => {
    statements = 0
    const answer = await transferNeedsStepUp(db, rules, { userId: ann.id, ...intent })
    t.equal(statements, 1, 'one statement')
    return answer
  }
  const toBob = { toAccountId: bobAccounts.checking.id }
  t.equal(await needs({ toAccountId: annAccounts.savings.id, amountCents: 900000 }), false, 'own account, however large')
  t.equal(await needs({ toAccountNumber: annAccounts.savings.number, amountCents: 900000 }), false, 'own account by number')
  t.equal(await needs({ ...toBob, amountCents: 100 }), true, 'a payee never paid, however small')
  t.equal(await needs({ toAccountNumber: '0000000000', amountCents: 100 }), true, 'an account that does not exist counts as never paid')
  t.equal(await needs({ ...toBob, amountCents: 100 }, { ...app.stepUpRules, newPayee: false }), false, 'the new-payee rule off')

  // Ann pays Bob once, signed in just now (no step-up needed for a fresh sign-in).
  t.equal((await postTransfer(app, ann, { fromAccountId: annAccounts.checking.id, ...toBob, amountCents: 100 })).statusCode, 201)
  t.equal(await needs({ ...toBob, amountCents: 100 }), false, 'a payee paid before, small')
  t.equal(await needs({ toAccountNumber: bobAccounts.checking.number, amountCents: 100 }), false, 'the same payee by number')
  t.equal(await needs({ toAccountId: bobAccounts.savings.id, amountCents: 100 }), true, "Bob's other account was never paid")
  t.equal(await needs({ ...toBob, amountCents: 100001 }), true, 'above the threshold, even to a payee paid before')
  t.equal(await needs({ ...toBob, amountCents: 100000 }), false, 'the threshold itself is not above it')
})
