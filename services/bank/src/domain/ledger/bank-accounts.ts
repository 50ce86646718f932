/**
 * The bank's own accounts. Their ids and numbers are fixed so that migrations create them and other
 * code (the retirement contribution endpoint, the ledger check) can name them.
 *
 * - Funding: the source of every welcome deposit. It is the only account allowed below zero: its
 *   negative balance is exactly the money the bank has issued to customers.
 * - Retirement clearing: receives contributions that customers move into retirement plans.
 *   Account number 9000000027 (well known; see README "Ledger").
 */
export const FUNDING_ACCOUNT = {
  id: 'bank-funding',
  number: '9000000019',
  type: 'funding',
  name: 'Nestegg Bank funding'
} as const

export const RETIREMENT_CLEARING_ACCOUNT = {
  id: 'bank-retirement-clearing',
  number: '9000000027',
  type: 'clearing',
  name: 'Nestegg Retirement clearing'
} as const

export const BANK_OWNED_ACCOUNTS = [FUNDING_ACCOUNT, RETIREMENT_CLEARING_ACCOUNT] as const
