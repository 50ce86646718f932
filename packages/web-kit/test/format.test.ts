import t from 'tap'
import { createFormat, parseDollars } from '../src/index.js'

t.test('money, account labels and dates for people', async (t) => {
  const utc = createFormat('UTC')
  t.equal(utc.money(123456), '$1,234.56')
  t.equal(utc.signedMoney(-2500), '-$25.00')
  t.equal(utc.accountLabel({ name: 'Checking', number: '1234508769' }), 'Checking ··8769', 'type and last digits, never an id')
  t.equal(utc.accountNumber('1234508769'), '1234 5087 69')
  t.equal(utc.date('2026-11-29T23:19:00Z'), 'Nov 29, 2026, 11:19 PM UTC')
  t.equal(utc.day('2026-11-29T23:19:00Z'), 'Nov 29, 2026')
  const newYork = createFormat('America/New_York')
  t.equal(newYork.date('2026-11-29T23:19:00Z'), 'Nov 29, 2026, 6:19 PM EST', 'in the customer\'s zone')
  t.equal(createFormat('Asia/Tokyo').day('2026-11-29T23:19:00Z'), 'Nov 30, 2026', 'the day moves with the zone')
})

t.test('dollars typed in a form become cents without floats', async (t) => {
  t.equal(parseDollars('12.34'), 1234)
  t.equal(parseDollars('$1,000'), 100000)
  t.equal(parseDollars(' 5 '), 500)
  t.equal(parseDollars('0.1'), 10)
  for (const bad of ['12.345', '1,00', 'ten', '', '-5', '100 dollars']) t.equal(parseDollars(bad), undefined, bad)
})
