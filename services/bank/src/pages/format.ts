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

/**
 * "12.34", "1,000" or "$5" → cents, by string arithmetic (never through a float). Undefined when the
 * text is not an amount of dollars with at most two decimals.
 */
export function parseDollars (text: string): Cents | undefined {
  const match = /^\$?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(text.trim())
  if (match === null) return undefined
  const dollars = Number((match[1] as string).replaceAll(',', ''))
  const cents = Number((match[2] ?? '').padEnd(2, '0'))
  const total = dollars * 100 + cents
  return Number.isSafeInteger(total) ? total : undefined
}
