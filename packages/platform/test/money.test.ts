import t from 'tap'
import { MAX_CENTS, formatCents, parseDollars } from '../src/money.js'

t.test('parseDollars: dollars with at most two decimals, commas only between every three digits', async (t) => {
  t.equal(parseDollars('12.34'), 1234)
  t.equal(parseDollars('$5'), 500)
  t.equal(parseDollars(' 1,000.5 '), 100050)
  t.equal(parseDollars('0.07'), 7)
  for (const bad of ['', '1.234', '1,00', '12,34.00', '-5', '1e3', 'five', '$', '.50', '1.']) {
    t.equal(parseDollars(bad), undefined, JSON.stringify(bad))
  }
  t.equal(parseDollars('99999999999999999999'), undefined, 'beyond a safe integer')
})

t.test('one largest amount, and its format', async (t) => {
  t.equal(MAX_CENTS, 100_000_000)
  t.equal(formatCents(MAX_CENTS), '$1,000,000.00')
})
