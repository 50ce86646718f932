import t from 'tap'
import type { HistoryItem } from '../../src/domain/accounts/account-history.js'
import { history } from '../../src/pages/format.js'

const item = (fields: Partial<HistoryItem>): HistoryItem => ({
  transferId: '0'.repeat(26),
  kind: 'transfer',
  accountId: 'a',
  amountCents: -2500,
  balanceAfterCents: 0,
  memo: null,
  counterparty: { accountNumber: '1234501234', name: 'Bob Example' },
  createdAt: '2026-11-29T23:19:00.000Z',
  ...fields
})

t.test('a line of history names the other side by name and last digits, never by id', async (t) => {
  t.equal(history.describe(item({})), 'To Bob Example ··1234')
  t.equal(history.describe(item({ amountCents: 2500 })), 'From Bob Example ··1234')
  t.equal(history.describe(item({ kind: 'welcome', amountCents: 100000 })), 'Welcome deposit')
})

t.test('a contribution reads once, not "Retirement contribution / Retirement contribution"', async (t) => {
  const contribution = item({ kind: 'contribution', memo: 'Retirement contribution' })
  t.equal(history.describe(contribution), 'Contribution to your retirement plan')
  t.equal(history.memo(contribution), null, 'the memo that only repeats it is not shown')
  t.equal(history.memo(item({ kind: 'contribution', memo: 'Roth IRA' })), 'Roth IRA', 'the plan\'s name, which retirement sends')
  t.equal(history.memo(item({ memo: 'rent' })), 'rent')
})
