/** An amount of money as an integer number of cents. Never a float, never dollars. */
export type Cents = number

export const CURRENCY = 'USD'
export type Currency = typeof CURRENCY

/** The largest single transfer: $1,000,000.00. Larger amounts are refused with a 400. */
export const MAX_TRANSFER_CENTS: Cents = 100_000_000

export function isValidTransferAmount (amount: Cents): boolean {
  return Number.isSafeInteger(amount) && amount > 0 && amount <= MAX_TRANSFER_CENTS
}
