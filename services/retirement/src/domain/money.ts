import type { Cents } from '@nestegg/platform'

export { type Cents, formatCents } from '@nestegg/platform'

const wholeDollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 })

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
