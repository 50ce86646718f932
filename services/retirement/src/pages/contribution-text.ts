import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { BankAccountSummary } from '../domain/bank/bank-client.js'
import type { Contribution } from '../domain/contributions/contribution-service.js'
import { lastDigits } from '@nestegg/web-kit'

export const STATUS_TEXT = { pending: 'Pending', completed: 'Completed', failed: 'Failed' } as const

/** Why a contribution failed, and what to do, for the person who made it. */
export function failureText (contribution: Contribution): string {
  switch (contribution.failureCode) {
    case 'BANK_INSUFFICIENT_FUNDS':
      return 'The bank account did not have enough money. Nothing was taken from it. Choose a smaller amount or another account and try again.'
    case 'BANK_ACCOUNT_NOT_FOUND':
      return 'The bank could not find that account. Nothing was taken. Choose one of your accounts and try again.'
    default:
      return `The bank refused it${contribution.reason !== undefined ? ` (${contribution.reason})` : ''}. Nothing was taken from your account. Try again, or contact the bank.`
  }
}

export const accountLabel = (account: BankAccountSummary): string => `${account.name} ${lastDigits(account.number)}`

/** The user's bank accounts, or null when the bank cannot be asked right now (pages still render). */
export async function bankAccounts (app: FastifyInstance, request: FastifyRequest): Promise<BankAccountSummary[] | null> {
  try {
    return await app.bank.listAccounts(request.user.id, request.id)
  } catch (error) {
    request.log.warn({ err: error }, 'could not list bank accounts')
    return null
  }
}

/** id → "Checking ··8769" for the contribution tables; an account the bank did not list shows as "Bank account". */
export function accountLabels (accounts: BankAccountSummary[] | null): Record<string, string> {
  return Object.fromEntries((accounts ?? []).map((account) => [account.id, accountLabel(account)]))
}
