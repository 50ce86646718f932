import Fastify from 'fastify'
import t from 'tap'
import { toErrorBody } from '../src/errors.js'
import { createIdempotencyGate, idempotencyErrors, idempotencyGatePlugin } from '../src/idempotency.js'

/** A piece of work that stays in flight until the test releases it. */
function heldWork<T> (value: T) {
  let release = () => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let runs = 0
  const work = async () => { runs++; await held; return value }
  return { work, release, runs: () => runs }
}

const errors = idempotencyErrors('TEST')
const gate = () => createIdempotencyGate(() => new errors.KeyInFlight())

t.test('the errors carry the service prefix, one wording and the draft statuses', async (t) => {
  const bank = idempotencyErrors('BANK')
  const retirement = idempotencyErrors('RET')
  t.match(toErrorBody(new bank.KeyReused()), { statusCode: 422, code: 'BANK_IDEMPOTENCY_KEY_REUSED', error: 'Unprocessable Entity' })
  t.match(toErrorBody(new retirement.KeyReused()), { statusCode: 422, code: 'RET_IDEMPOTENCY_KEY_REUSED' })
  t.match(toErrorBody(new bank.KeyInFlight()), { statusCode: 409, code: 'BANK_IDEMPOTENCY_KEY_IN_FLIGHT', error: 'Conflict' })
  t.match(toErrorBody(new retirement.KeyInFlight()), { statusCode: 409, code: 'RET_IDEMPOTENCY_KEY_IN_FLIGHT' })
  t.match(toErrorBody(new retirement.KeyRequired()), { statusCode: 400, code: 'RET_IDEMPOTENCY_KEY_REQUIRED' })
  for (const name of ['KeyRequired', 'KeyReused', 'KeyInFlight'] as const) {
    t.equal(new bank[name]().message, new retirement[name]().message, `${name}: the same words at both services`)
  }
  t.throws(() => idempotencyErrors('bank'), /PREFIX_WHAT/, 'a prefix in capitals, as every code')
})

t.test('refuseWhileInFlight: a second request with the key is refused while the first runs, not after', async (t) => {
  const { refuseWhileInFlight } = gate()
  const first = heldWork('booked')
  const answer = refuseWhileInFlight('eve', 'k1', first.work)
  await t.rejects(refuseWhileInFlight('eve', 'k1', async () => 'twice'), { code: 'TEST_IDEMPOTENCY_KEY_IN_FLIGHT', statusCode: 409 })
  t.equal(await refuseWhileInFlight('fay', 'k1', async () => 'fay'), 'fay', 'the same key of another scope is not blocked')
  t.equal(await refuseWhileInFlight('eve', 'k2', async () => 'other'), 'other', 'another key of the same scope is not blocked')
  first.release()
  t.equal(await answer, 'booked')
  t.equal(await refuseWhileInFlight('eve', 'k1', async () => 'retried'), 'retried', 'once answered, the key is free')
})

t.test('a first request that fails frees its key too', async (t) => {
  const { refuseWhileInFlight } = gate()
  await t.rejects(refuseWhileInFlight('eve', 'k', async () => { throw new Error('insufficient funds') }), /insufficient funds/)
  await t.rejects(refuseWhileInFlight('eve', 'k', () => { throw new Error('thrown before any await') }), /thrown before/)
  t.equal(await refuseWhileInFlight('eve', 'k', async () => 'ok'), 'ok')
})

t.test('waitWhileInFlight: the second waits for the first to settle, then runs; several run one at a time', async (t) => {
  const { refuseWhileInFlight, waitWhileInFlight } = gate()
  const first = heldWork('first')
  const order: string[] = []
  const answer = waitWhileInFlight('eve', 'k', async () => { order.push('first'); return first.work() })
  let active = 0
  let most = 0
  const waiter = (name: string) => waitWhileInFlight('eve', 'k', async () => {
    active++
    most = Math.max(most, active)
    order.push(name)
    await new Promise((resolve) => setImmediate(resolve))
    active--
    return name
  })
  const second = waiter('second')
  const third = waiter('third')
  await new Promise((resolve) => setImmediate(resolve))
  t.same(order, ['first'], 'the others have not started while the first is in flight')
  await t.rejects(refuseWhileInFlight('eve', 'k', async () => 'api'), { code: 'TEST_IDEMPOTENCY_KEY_IN_FLIGHT' },
    'an API request meeting a form in flight is refused as ever')
  first.release()
  t.same(await Promise.all([answer, second, third]), ['first', 'second', 'third'])
  t.same(order, ['first', 'second', 'third'])
  t.equal(most, 1, 'never two at once')
})

t.test('waitWhileInFlight runs after a first that failed', async (t) => {
  const { refuseWhileInFlight, waitWhileInFlight } = gate()
  let fail = () => {}
  const failing = refuseWhileInFlight('eve', 'k', () => new Promise<string>((_resolve, reject) => { fail = () => reject(new Error('bank down')) }))
  const waiting = waitWhileInFlight('eve', 'k', async () => 'second')
  fail()
  await t.rejects(failing, /bank down/)
  t.equal(await waiting, 'second')
})

t.test('the plugin gives a service one gate, app.idempotency, answering with its own code', async (t) => {
  const app = Fastify()
  t.teardown(() => app.close())
  const bank = idempotencyErrors('BANK')
  await app.register(idempotencyGatePlugin, { inFlight: () => new bank.KeyInFlight() })
  await app.ready()
  const first = heldWork(1)
  const answer = app.idempotency.refuseWhileInFlight('eve', 'k', first.work)
  await t.rejects(app.idempotency.refuseWhileInFlight('eve', 'k', async () => 2), { code: 'BANK_IDEMPOTENCY_KEY_IN_FLIGHT' })
  first.release()
  t.equal(await answer, 1)
})
