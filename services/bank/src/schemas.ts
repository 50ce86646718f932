import { AccountId, AccountNumber, Cents as CentsAmount, Timestamp, TransferId, TransferKind } from '@nestegg/shared-auth'
import { Type } from 'typebox'
import { CONTROL_CHARACTERS } from './domain/text.js'

/** Shared pieces of the bank's route schemas; those that cross a wire come from the contract. */
export {
  AccountId, AccountNumber, AccountView, Cents as CentsAmount, Currency, ErrorResponse, IdempotencyKey, Timestamp, TransferId,
  TransferKind, TransferView, UserId, UserView
} from '@nestegg/shared-auth'
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


// Ledger: the views that cross a wire are the contract's.
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
