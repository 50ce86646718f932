import { readdirSync, readFileSync } from 'node:fs'
import t, { type Test } from 'tap'
import { HASHING_NICE } from '../../../src/domain/users/hash-worker.js'
import { verify as argon2Verify } from '@node-rs/argon2'
import { ARGON2_OPTIONS, type Argon2, DUMMY_HASH, createPasswordHasher } from '../../../src/domain/users/password-hasher.js'

/** An argon2 stand-in that counts how many calls run at once, each finishing only when released. */
function instrumentedArgon2 () {
  const state = { running: 0, maxRunning: 0, calls: 0 }
  const pending: Array<() => void> = []
  const run = <T>(result: T) => new Promise<T>((resolve) => {
    state.running++
    state.calls++
    state.maxRunning = Math.max(state.maxRunning, state.running)
    pending.push(() => { state.running--; resolve(result) })
  })
  const argon2: Argon2 = {
    hash: (password) => run(`$fake$${password}`),
    verify: (hashed, password) => run(hashed === `$fake$${password}`)
  }
  return { argon2, state, pending }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

async function boundedHasher (concurrency: number) {
  const fake = instrumentedArgon2()
  const hasher = createPasswordHasher(concurrency, fake.argon2)
  return { hasher, ...fake }
}

/** Releases queued calls one at a time, checking the bound after each step. */
async function drain (t: Test, fake: { state: { running: number }, pending: Array<() => void> }, bound: number) {
  while (fake.pending.length > 0) {
    fake.pending.shift()?.()
    await settle()
    if (fake.state.running > bound) t.fail(`${fake.state.running} ran at once`)
  }
}

t.test('a flood of verifications runs at most `concurrency` at once; the rest queue and all complete', async (t) => {
  const fake = await boundedHasher(2)
  const results = Array.from({ length: 10 }, (_, i) => fake.hasher.verify(i % 2 === 0 ? '$fake$right' : undefined, 'right'))
  await settle()
  t.equal(fake.state.running, 2, 'two run while eight wait')
  await drain(t, fake, 2)
  t.equal(fake.state.maxRunning, 2)
  t.equal(fake.state.calls, 10, 'every verification ran, unknown users included')
  t.same(await Promise.all(results), [true, false, true, false, true, false, true, false, true, false],
    'the right password passes; no stored hash (unknown user) never does, though it costs the same work')
})

t.test('hashing at signup shares the same bound as verification', async (t) => {
  const fake = await boundedHasher(3)
  const work = [
    ...Array.from({ length: 4 }, (_, i) => fake.hasher.hash(`password-${i}`)),
    ...Array.from({ length: 4 }, () => fake.hasher.verify('$fake$x', 'y'))
  ]
  await settle()
  t.equal(fake.state.running, 3)
  await drain(t, fake, 3)
  t.equal(fake.state.maxRunning, 3)
  await Promise.all(work)
})

t.test('with real argon2id, parallel verifications all complete and answer correctly', async (t) => {
  const hasher = createPasswordHasher(2)
  t.teardown(() => hasher.close())
  const stored = await hasher.hash('the real one, long enough')
  const answers = await Promise.all([
    hasher.verify(stored, 'the real one, long enough'),
    hasher.verify(stored, 'not the real one at all'),
    hasher.verify(undefined, 'the real one, long enough'),
    hasher.verify('not a hash', 'anything at all here')
  ])
  t.same(answers, [true, false, false, false])
})

/** The nice value of each thread of this process (field 19 of /proc/self/task/TID/stat). */
function threadNiceValues (): Map<number, number> {
  const values = new Map<number, number>()
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    values.set(Number(tid), Number(fields[16]))
  }
  return values
}

t.test('the hashing threads run at a lower priority than the rest of the bank', { skip: process.platform !== 'linux' && 'nice values are per thread on Linux only' }, async (t) => {
  const before = threadNiceValues()
  const hasher = createPasswordHasher(1)
  t.teardown(() => hasher.close())
  t.ok(await hasher.verify(await hasher.hash('a password that is long enough'), 'a password that is long enough'))
  const after = threadNiceValues()
  const lowered = [...after].filter(([tid, nice]) => !before.has(tid) && nice === HASHING_NICE)
  t.equal(lowered.length, 1, `one new thread at nice ${HASHING_NICE}: the hashing thread`)
  t.equal(after.get(process.pid), before.get(process.pid), 'the main thread keeps its priority')
  await hasher.close()
  const closed = threadNiceValues()
  t.notOk(lowered.some(([tid]) => closed.has(tid)), 'closing the hasher ends its thread')
})

t.test('a failing hashing thread is an error, not a wrong password', async (t) => {
  const failing: Argon2 = {
    hash: async (password) => `$fake$${password}`,
    verify: async () => { throw new Error('worker exited') }
  }
  const hasher = createPasswordHasher(1, failing)
  await t.rejects(hasher.verify('$fake$x', 'x'), /worker exited/, 'the failure reaches the caller (a 500), and no backoff is recorded')
})

t.test('an unknown user is checked against a dummy hash of the same argon2id parameters, which no password opens', async (t) => {
  const [, algorithm, version, parameters] = DUMMY_HASH.split('$')
  t.equal(algorithm, 'argon2id')
  t.equal(version, 'v=19')
  t.equal(parameters, `m=${ARGON2_OPTIONS.memoryCost},t=${ARGON2_OPTIONS.timeCost},p=${ARGON2_OPTIONS.parallelism}`,
    'the same cost as a stored hash: change it with ARGON2_OPTIONS')
  t.equal(await argon2Verify(DUMMY_HASH, ''), false, 'a real argon2id hash (argon2 reads it)')
  const fake = instrumentedArgon2()
  const hasher = createPasswordHasher(1, fake.argon2)
  const answer = hasher.verify(undefined, 'anything')
  await settle()
  t.equal(fake.state.calls, 1, 'an unknown user costs one verification')
  fake.pending.shift()?.()
  t.equal(await answer, false)
})
