import { formatMoney, lastDigits } from '@nestegg/web-kit'
import type { AccountView } from '../../domain/accounts/account-service.js'
import { MAX_TRANSFER_CENTS } from '../../domain/ledger/money.js'

/**
 * A refused transfer, said to the person at the form. The JSON API's messages name its fields
 * (amountCents, toAccountId); the form's fields are called something else.
 */
export function transferProblemText (code: string, message: string, from: AccountView | undefined): string {
  switch (code) {
    case 'BANK_INSUFFICIENT_FUNDS':
      return from === undefined
        ? 'Insufficient funds: the account does not have enough money for this transfer.'
        : `Insufficient funds: ${from.name} ${lastDigits(from.number)} has ${formatMoney(from.balanceCents)}. Enter a smaller amount or choose another account.`
    case 'BANK_INVALID_AMOUNT':
      return `Enter an amount from $0.01 to ${formatMoney(MAX_TRANSFER_CENTS)}.`
    case 'BANK_SAME_ACCOUNT':
      return 'The account you send from and the account you send to must be different.'
    case 'BANK_ACCOUNT_NOT_FOUND':
      return 'That account was not found. Check the account and try again.'
    case 'BANK_IDEMPOTENCY_KEY_REUSED':
      return 'This form was already sent with other values. Check your accounts before sending it again.'
    default:
      return message.endsWith('.') ? message : `${message}.`
  }
}
