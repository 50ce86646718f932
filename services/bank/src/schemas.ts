import { Type } from 'typebox'
import { CONTROL_CHARACTERS } from './domain/text.js'

/** Shared pieces of the bank's route schemas; those that cross a wire come from the contract. */
export { ErrorResponse, IdempotencyKey, UserId, UserView } from '@nestegg/shared-auth'
export const Username = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[a-z0-9_]+$',
  description: '3 to 32 lower-case letters, digits or underscores'
})
export const Password = Type.String({ minLength: 1, maxLength: 1024 })
/** Session ids are UUIDs; anything else names no session. */
export const SessionId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' })
/** A name with at least one character that is not a space, and no control characters; it is stored trimmed. */
export const PersonName = Type.String({ minLength: 1, maxLength: 100, pattern: `^[^${CONTROL_CHARACTERS}]*[^\\s${CONTROL_CHARACTERS}][^${CONTROL_CHARACTERS}]*$` })


// Ledger.
export const AccountId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
export const AccountNumber = Type.String({ pattern: '^[0-9]{10}$', description: 'Ten digits, the last a Luhn check digit' })
export const TransferId = Type.String({ pattern: '^[0-9a-f]{26}$' })
export const CentsAmount = Type.Integer({ description: 'Integer cents; never a float' })
export const Currency = Type.Literal('USD')
export const Timestamp = Type.String({ format: 'date-time' })

export const AccountView = Type.Object({
  id: AccountId,
  number: AccountNumber,
  type: Type.Union([Type.Literal('checking'), Type.Literal('savings')]),
  name: Type.String(),
  balanceCents: CentsAmount,
  currency: Currency
}, { additionalProperties: false })

export const TransferKind = Type.Union([Type.Literal('welcome'), Type.Literal('transfer'), Type.Literal('contribution')])

export const TransferView = Type.Object({
  id: TransferId,
  kind: TransferKind,
  fromAccountId: AccountId,
  toAccountId: AccountId,
  toAccountNumber: AccountNumber,
  amountCents: CentsAmount,
  currency: Currency,
  memo: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp
}, { additionalProperties: false })

export const HistoryItem = Type.Object({
  transferId: TransferId,
  kind: TransferKind,
  accountId: AccountId,
  amountCents: Type.Integer({ description: 'Negative when money left the account' }),
  balanceAfterCents: CentsAmount,
  memo: Type.Union([Type.String(), Type.Null()]),
  counterparty: Type.Object({ accountNumber: AccountNumber, name: Type.String() }, { additionalProperties: false }),
  createdAt: Timestamp
}, { additionalProperties: false })

export const Memo = Type.String({ maxLength: 140, pattern: `^[^${CONTROL_CHARACTERS}]*$` })
