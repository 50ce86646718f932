import t from 'tap'
import { createRecheckCache } from '../src/recheck-cache.js'

function fakeClock (start = 1_000_000) {
  let now = start
  return { now: () => now, advance: (ms: number) => { now += ms } }
}

t.test('an answer is reused for recheckMs, counted from before its lookup, then looked up again', async (t) => {
  const clock = fakeClock()
  const cache = createRecheckCache<boolean>({ recheckMs: 500, max: 10, clock: clock.now })
  let lookups = 0
  const slowLookup = async () => { lookups++; clock.advance(100); return false }
  t.equal(await cache.get('s1', slowLookup), false)
  clock.advance(399)
  await cache.get('s1', slowLookup)
  t.equal(lookups, 1, 'reused 499 ms after the lookup began')
  clock.advance(2)
  await cache.get('s1', slowLookup)
  t.equal(lookups, 2, 'looked up again 501 ms after the last lookup began, though 401 after it ended')
})

t.test('forget drops the given keys, or all; a lookup racing with forget is not remembered', async (t) => {
  const clock = fakeClock()
  const cache = createRecheckCache<string>({ recheckMs: 1000, max: 10, clock: clock.now })
  await cache.get('a', async () => 'old a')
  await cache.get('b', async () => 'old b')
  cache.forget(['a'])
  t.equal(await cache.get('a', async () => 'new a'), 'new a')
  t.equal(await cache.get('b', async () => 'new b'), 'old b', 'b was not forgotten')
  cache.forget()
  t.equal(await cache.get('b', async () => 'newer b'), 'newer b')

  let release = () => {}
  const racing = cache.get('c', async () => { await new Promise<void>((resolve) => { release = resolve }); return 'read before the change' })
  await new Promise((resolve) => setImmediate(resolve))
  cache.forget(['c'])
  release()
  t.equal(await racing, 'read before the change', 'the racing caller gets what it read')
  t.equal(await cache.get('c', async () => 'read after'), 'read after', 'but the next caller does not')
})

t.test('when full, the least recently used answer goes, not every answer', async (t) => {
  const clock = fakeClock()
  const cache = createRecheckCache<number>({ recheckMs: 60_000, max: 3, clock: clock.now })
  let lookups = 0
  const lookup = (value: number) => async () => { lookups++; return value }
  await cache.get('a', lookup(1))
  await cache.get('b', lookup(2))
  await cache.get('c', lookup(3))
  await cache.get('a', lookup(1))
  await cache.get('d', lookup(4))
  t.equal(lookups, 4)
  await cache.get('a', lookup(1))
  await cache.get('c', lookup(3))
  await cache.get('d', lookup(4))
  t.equal(lookups, 4, 'a, c and d are still known')
  await cache.get('b', lookup(2))
  t.equal(lookups, 5, 'b, the least recently used, was the one dropped')
})

t.test('a clock stepped back does not make an answer young again: it is looked up anew', async (t) => {
  const clock = fakeClock()
  const cache = createRecheckCache<string>({ recheckMs: 500, max: 10, clock: clock.now })
  t.equal(await cache.get('s1', async () => 'before'), 'before')
  clock.advance(-60_000)
  t.equal(await cache.get('s1', async () => 'after'), 'after', 'the wall clock went back a minute: no reuse')
})

t.test('a clock that starts at 0 still expires answers', async (t) => {
  const clock = fakeClock(0)
  const cache = createRecheckCache<string>({ recheckMs: 500, max: 10, clock: clock.now })
  await cache.get('s1', async () => 'first')
  clock.advance(501)
  t.equal(await cache.get('s1', async () => 'second'), 'second')
})
