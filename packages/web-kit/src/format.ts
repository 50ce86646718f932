import { type Cents, formatCents } from '@nestegg/platform'

const signed = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', signDisplay: 'always' })
const compact = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 })

// One pair of formatters per time zone, built on first use (a few zones in practice).
const dateTimes = new Map<string, { dateTime: Intl.DateTimeFormat, date: Intl.DateTimeFormat }>()

function formattersFor (timeZone: string) {
  let formatters = dateTimes.get(timeZone)
  if (formatters === undefined) {
    formatters = {
      dateTime: new Intl.DateTimeFormat('en-US', {
        year: 'numeric', month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit', timeZoneName: 'short', timeZone
      }),
      date: new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone })
    }
    dateTimes.set(timeZone, formatters)
  }
  return formatters
}

/** An account as a person knows it: its type or name and the last four digits, never its id. */
export interface LabelledAccount {
  name: string
  number: string
}

/** 1234567890 → "1234 5678 90". */
export function formatAccountNumber (number: string): string {
  return number.replace(/^(\d{4})(\d{4})(\d{2})$/, '$1 $2 $3')
}

/** "··8769": the last four digits, as on a card or a statement. */
export function lastDigits (number: string): string {
  return `··${number.slice(-4)}`
}

/** "$1,234.56": platform's one money format, under the name templates use. */
export const formatMoney = formatCents

/**
 * What templates use to show money, dates and accounts; every page gets one made for the customer's
 * time zone, so no page needs a script to show local times.
 */
export function createFormat (timeZone: string) {
  const { dateTime, date } = formattersFor(timeZone)
  return {
    timeZone,
    money: formatMoney,
    signedMoney: (cents: Cents) => signed.format(cents / 100),
    /** "$1.2M", "$250K", "$0": axis labels. */
    shortMoney: (cents: Cents) => compact.format(cents / 100),
    accountNumber: formatAccountNumber,
    lastDigits,
    /** "Checking ··8769". */
    accountLabel: (account: LabelledAccount) => `${account.name} ${lastDigits(account.number)}`,
    /** "Nov 29, 2026, 6:19 PM EST". */
    date: (iso: string | number | Date) => dateTime.format(new Date(iso)),
    /** "Nov 29, 2026". */
    day: (iso: string | number | Date) => date.format(new Date(iso))
  }
}

export type Format = ReturnType<typeof createFormat>
