/** Integer cents, always; formatted only at the edge (pages, messages). */
export type Cents = number

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' })
const wholeDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })

export function formatCents (cents: Cents): string {
  return dollars.format(cents / 100)
}

/** "$1.2M", "$350K", "$900" — for chart axis labels. */
export function formatCentsShort (cents: Cents): string {
  const value = cents / 100
  const abs = Math.abs(value)
  if (abs >= 1_000_000) return `${value < 0 ? '-' : ''}$${trim(abs / 1_000_000)}M`
  if (abs >= 1_000) return `${value < 0 ? '-' : ''}$${trim(abs / 1_000)}K`
  return wholeDollars.format(value)
}

function trim (value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1).replace(/\.0$/, '')
}
