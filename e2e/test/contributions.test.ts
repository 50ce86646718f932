import t from 'tap'
import { startBankProxy } from './support/bank-proxy.js'
import { signupAndLogin } from './support/http.js'
import { moneyFlow, runReconcile, until } from './support/money-flow.js'
import { eventually, startStack } from './support/services.js'

/**
 * Contributions across the two real services. Retirement reaches the bank through a forwarding
 * proxy (BANK_INTERNAL_URL) so one test can kill retirement the moment after the bank debited.
 * Retries are fast here (the worker polls every 100 ms, backoff from 200 ms) so nothing sleeps long.
 */
t.test('contributions happen exactly once across both services, through failures', async (t) => {
  const proxy = await startBankProxy()
  t.teardown(() => proxy.close())
  const stack = await startStack({
    BANK_INTERNAL_URL: proxy.url,
    BANK_TIMEOUT_MS: '2000',
    CONTRIBUTION_WORKER_INTERVAL_MS: '100',
    CONTRIBUTION_RETRY_BASE_MS: '200',
    CONTRIBUTION_RETRY_MAX_MS: '1000'
  })
  t.teardown(() => stack.stop())
  proxy.target = stack.bank.url
  // Until retirement has caught up with the bank's logouts once, it moves no money (503
  // RET_REVOCATIONS_UNAVAILABLE, docs/security.md); through the proxy that is its next retry.
  t.ok(await eventually(() => stack.retirement.logs.some((line) => line.msg === 'deny-list caught up with the bank'), 10000), 'retirement caught up')
  const { token } = await signupAndLogin(stack.bank.url, 'saver')
  const flow = moneyFlow(stack, token)
  const planId = await flow.openPlan()
  const checking = await flow.checking()
  let expectedChecking = checking.balanceCents
  let expectedPlan = 0
  const reconciles = async (label: string) => {
    const { code, output } = await runReconcile(stack)
    t.equal(code, 0, `reconcile passes after ${label}: ${output.trim()}`)
  }

  await t.test('happy path: debited at the bank, credited to the plan', async (t) => {
    const response = await flow.contribute({ planId, fromAccountId: checking.id, amountCents: 12_500 }, 'happy-1')
    t.equal(response.status, 201)
    t.equal(response.body.status, 'completed')
    expectedChecking -= 12_500
    expectedPlan += 12_500
    t.equal((await flow.checking()).balanceCents, expectedChecking)
    t.equal(await flow.planBalance(planId), expectedPlan)
    await reconciles('the happy path')
  })

  await t.test('insufficient funds: failed with the reason, nothing moved', async (t) => {
    const response = await flow.contribute({ planId, fromAccountId: checking.id, amountCents: expectedChecking + 1 }, 'too-much')
    t.equal(response.body.status, 'failed')
    t.equal(response.body.reason, 'Insufficient funds')
    t.equal((await flow.checking()).balanceCents, expectedChecking)
    t.equal(await flow.planBalance(planId), expectedPlan)
    await reconciles('insufficient funds')
  })

  await t.test('the same form submitted twice at once: one contribution, one debit', async (t) => {
    const body = { planId, fromAccountId: checking.id, amountCents: 1_000 }
    const answers = await Promise.all([flow.contribute(body, 'double-1'), flow.contribute(body, 'double-1')])
    const created = answers.filter((answer) => answer.status === 201)
    t.equal(created.length, 1, 'one of the two creates the contribution')
    // The other either arrived while the first was still being processed (409, retried by the
    // client with the same key) or after it (200, the same contribution).
    const other = answers.find((answer) => answer.status !== 201)
    t.ok(other?.status === 200 || (other?.status === 409 && other.body.code === 'RET_IDEMPOTENCY_KEY_IN_FLIGHT'), `the other is 200 or 409 in flight (got ${other?.status})`)
    const retried = await flow.contribute(body, 'double-1')
    t.equal(retried.status, 200, 'a retry with the same key answers the contribution already made')
    t.equal(retried.body.id, created[0]?.body.id)
    if (other?.status === 200) t.equal(other.body.id, created[0]?.body.id)
    expectedChecking -= 1_000
    expectedPlan += 1_000
    t.equal((await flow.checking()).balanceCents, expectedChecking)
    t.equal(await flow.planBalance(planId), expectedPlan)
    await reconciles('a double submit')
  })

  await t.test('bank down while contributing, then up: the worker completes it', async (t) => {
    await stack.stopOne('bank')
    const response = await flow.contribute({ planId, fromAccountId: checking.id, amountCents: 2_000 }, 'bank-down-1')
    t.equal(response.status, 202)
    t.equal(response.body.status, 'pending')
    t.equal((await flow.contribution(response.body.id)).status, 'pending')
    await stack.startOne('bank')
    proxy.target = stack.bank.url
    t.ok(await until(async () => (await flow.contribution(response.body.id)).status === 'completed'), 'completed after the bank came back')
    expectedChecking -= 2_000
    expectedPlan += 2_000
    t.equal((await flow.checking()).balanceCents, expectedChecking)
    t.equal(await flow.planBalance(planId), expectedPlan)
    await reconciles('the bank came back')
  })

  await t.test('retirement killed (SIGKILL) right after the bank debited: after restart it completes, once', async (t) => {
    let killing: Promise<void> | undefined
    proxy.afterDebit = async () => {
      killing = stack.stopOne('retirement', 'SIGKILL')
      await killing
    }
    const lost = await flow.contribute({ planId, fromAccountId: checking.id, amountCents: 3_000 }, 'killed-1').catch((error: Error) => error)
    t.ok(lost instanceof Error, 'the request died with retirement')
    t.ok(killing, 'retirement was killed once the bank had answered the debit')
    await killing
    t.equal(stack.retirement.process.signalCode, 'SIGKILL')
    expectedChecking -= 3_000
    t.equal((await flow.checking()).balanceCents, expectedChecking, 'the bank debited')
    const midway = await runReconcile(stack)
    t.equal(midway.code, 1, 'reconcile fails while the debit is not credited')
    t.match(midway.output, /which is pending in retirement/)

    await stack.startOne('retirement')
    const contributions = await flow.contributions(planId)
    const recovered = contributions.find((contribution) => contribution.amountCents === 3_000)
    t.ok(recovered, 'the pending contribution survived the kill')
    t.ok(await until(async () => (await flow.contribution(recovered?.id ?? '')).status === 'completed'), 'completed after restart')
    expectedPlan += 3_000
    t.equal(await flow.planBalance(planId), expectedPlan, 'credited once')
    t.equal((await flow.checking()).balanceCents, expectedChecking, 'debited once')
    await reconciles('the restart')
  })
})
