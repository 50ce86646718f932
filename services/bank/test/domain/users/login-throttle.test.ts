import t from 'tap'
import { LOGIN_BACKOFF, backoffDelayMs } from '../../../src/domain/users/login-throttle.js'

t.test('five failures are free, then the wait doubles from one second up to fifteen minutes', async (t) => {
  t.same([0, 1, 4].map((failures) => backoffDelayMs(failures)), [0, 0, 0])
  t.same([5, 6, 7, 8].map((failures) => backoffDelayMs(failures)), [1000, 2000, 4000, 8000])
  t.equal(backoffDelayMs(15), LOGIN_BACKOFF.maxDelayMs)
  t.equal(backoffDelayMs(1000), 15 * 60 * 1000, 'capped, never Infinity')
})
