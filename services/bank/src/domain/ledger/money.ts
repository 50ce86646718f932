import { type Cents, MAX_CENTS } from '@nestegg/platform'

export type { Cents }

export const CURRENCY = 'USD'
export type Currency = typeof CURRENCY

/** The largest single transfer: the platform's one largest amount. Larger amounts are refused with a 400. */
export const MAX_TRANSFER_CENTS: Cents = MAX_CENTS

export function isValidTransferAmount (amount: Cents): boolean {
  return Number.isSafeInteger(amount) && amount > 0 && amount <= MAX_TRANSFER_CENTS
}
