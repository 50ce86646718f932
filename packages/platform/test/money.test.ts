import t from 'tap'
import { MAX_CENTS, formatCents } from '../src/money.js'

t.test('one largest amount, and its format', async (t) => {
  t.equal(MAX_CENTS, 100_000_000)
  t.equal(formatCents(MAX_CENTS), '$1,000,000.00')
})
