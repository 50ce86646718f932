import { formatAccountNumber } from '../domain/accounts/account-number.js'
import type { HistoryItem } from '../domain/accounts/account-history.js'
import type { Cents } from '../domain/ledger/money.js'

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const signed = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', signDisplay: 'always' })
const dateTime = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' })

/** What templates use to show money, numbers and dates; all formatting lives here. */
export const format = {
  money: (cents: Cents) => money.format(cents / 100),
  signedMoney: (cents: Cents) => signed.format(cents / 100),
  accountNumber: formatAccountNumber,
  date: (iso: string) => `${dateTime.format(new Date(iso))} UTC`,
  describe (item: HistoryItem): string {
    const other = `${item.counterparty.name} (${formatAccountNumber(item.counterparty.accountNumber)})`
    if (item.kind === 'welcome') return 'Welcome deposit'
    if (item.kind === 'contribution') return 'Retirement contribution'
    return item.amountCents < 0 ? `To ${other}` : `From ${other}`
  }
}

