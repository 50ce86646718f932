import { createHash } from 'node:crypto'
import { type DatabaseHandle, isUniqueViolation, writeTransaction } from '@nestegg/platform'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { BankDatabase, TransferKind } from '../../db/schema.js'
import {
  AccountNotFoundError,
  IdempotencyKeyReusedError,
  InvalidAmountError,
  InvalidTransferError,
  SameAccountError
} from '../../errors.js'
import { RETIREMENT_CLEARING_ACCOUNT } from './bank-accounts.js'
import { newTransferId } from './ledger-ids.js'
import { CURRENCY, type Cents, type Currency, MAX_TRANSFER_CENTS, isValidTransferAmount } from './money.js'
import { postTransfer } from './posting.js'

export interface TransferRequest {
  /** The user on whose behalf money moves; the source must be theirs. Scopes the idempotency key. */
  userId: string
  fromAccountId: string
  /** Exactly one of toAccountId and toAccountNumber. */
  toAccountId?: string | undefined
  toAccountNumber?: string | undefined
  amountCents: Cents
  memo?: string | undefined
  idempotencyKey: string
  /**
   * 'transfer' (default): to any customer account. 'contribution': only to the retirement clearing
   * account (the retirement service's internal endpoint books these).
   */
  kind?: Exclude<TransferKind, 'welcome'>
}

export interface TransferView {
  id: string
  kind: TransferKind
  fromAccountId: string
  toAccountId: string
  toAccountNumber: string
  amountCents: Cents
  currency: Currency
  memo: string | null
  createdAt: string
}

/**
 * A contribution's memo before contributions named their plan. A contribution's fingerprint always
 * uses it, whatever memo is stored: a retry of the same contribution id is the same debit whether
 * or not the caller sent the plan's name (a retirement of either version, across an upgrade).
 */
export const CONTRIBUTION_MEMO = 'Retirement contribution'

function fingerprint (request: TransferRequest, kind: string, memo: string | null): string {
  const canonical = JSON.stringify([kind, request.fromAccountId, request.toAccountId ?? null,
    request.toAccountNumber ?? null, request.amountCents, memo])
  return createHash('sha256').update(canonical).digest('hex')
}

async function findByKey (db: Kysely<BankDatabase>, userId: string, key: string) {
  return db.selectFrom('transfers')
    .innerJoin('accounts', 'accounts.id', 'transfers.to_account_id')
    .selectAll('transfers')
    .select('accounts.number as to_number')
    .where('transfers.user_id', '=', userId)
    .where('transfers.idempotency_key', '=', key)
    .executeTakeFirst()
}

function toView (row: { id: string, kind: TransferKind, from_account_id: string, to_account_id: string, amount_cents: number, memo: string | null, created_at: number }, toNumber: string): TransferView {
  return {
    id: row.id,
    kind: row.kind,
    fromAccountId: row.from_account_id,
    toAccountId: row.to_account_id,
    toAccountNumber: toNumber,
    amountCents: Number(row.amount_cents),
    currency: CURRENCY,
    memo: row.memo,
    createdAt: new Date(Number(row.created_at)).toISOString()
  }
}

export function createTransferService (database: DatabaseHandle<BankDatabase>) {
  function replay (existing: NonNullable<Awaited<ReturnType<typeof findByKey>>>, hash: string): TransferView {
    if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError()
    return toView(existing, existing.to_number)
  }

  /**
   * Moves money from one of the user's accounts to another account, once per idempotency key:
   * the same key with the same request answers the transfer already booked; with a different
   * request, a 422. Every refusal leaves the database untouched.
   */
  async function transfer (request: TransferRequest): Promise<TransferView> {
    const kind = request.kind ?? 'transfer'
    if (!isValidTransferAmount(request.amountCents)) {
      throw new InvalidAmountError(`amountCents must be a whole number of cents from 1 to ${MAX_TRANSFER_CENTS}`)
    }
    if ((request.toAccountId === undefined) === (request.toAccountNumber === undefined)) {
      throw new InvalidTransferError('Give exactly one of toAccountId and toAccountNumber')
    }
    if (request.toAccountId === request.fromAccountId) throw new SameAccountError()
    const memo = request.memo?.trim() || null
    const hash = fingerprint(request, kind, kind === 'contribution' ? CONTRIBUTION_MEMO : memo)

    try {
      return await writeTransaction(database, async (trx) => {
        const existing = await findByKey(trx, request.userId, request.idempotencyKey)
        if (existing !== undefined) return replay(existing, hash)

        // Source and destination in one statement (one round trip on PostgreSQL).
        const { toAccountId, toAccountNumber } = request
        const candidates = await trx.selectFrom('accounts').select(['id', 'number', 'user_id'])
          .where((eb) => eb.or([
            eb.and([eb('id', '=', request.fromAccountId), eb('user_id', '=', request.userId)]),
            toAccountId !== undefined ? eb('id', '=', toAccountId) : eb('number', '=', toAccountNumber as string)
          ]))
          .execute()
        const source = candidates.find((account) => account.id === request.fromAccountId && account.user_id === request.userId)
        if (source === undefined) throw new AccountNotFoundError('Source account')
        const destination = candidates.find((account) => toAccountId !== undefined ? account.id === toAccountId : account.number === toAccountNumber)
        const allowed = kind === 'contribution'
          ? destination?.id === RETIREMENT_CLEARING_ACCOUNT.id
          : destination !== undefined && destination.user_id !== null
        if (destination === undefined || !allowed) throw new AccountNotFoundError('Destination account')
        if (destination.id === source.id) throw new SameAccountError()

        const row = await postTransfer(trx, {
          id: newTransferId(),
          kind,
          userId: request.userId,
          idempotencyKey: request.idempotencyKey,
          requestHash: hash,
          fromAccountId: source.id,
          toAccountId: destination.id,
          amountCents: request.amountCents,
          memo,
          createdAt: Date.now()
        })
        return toView(row, destination.number)
      })
    } catch (error) {
      // PostgreSQL: a concurrent request with the same key committed first; answer what it booked.
      if (isUniqueViolation(error)) {
        const existing = await findByKey(database.db, request.userId, request.idempotencyKey)
        if (existing !== undefined) return replay(existing, hash)
      }
      throw error
    }
  }

  return { transfer }
}

export type TransferService = ReturnType<typeof createTransferService>

declare module 'fastify' {
  interface FastifyInstance {
    /** The ledger's one way to move money between customers (and into retirement clearing). */
    transfers: TransferService
  }
}

export const transferServicePlugin = fp(async function transferService (app: FastifyInstance) {
  app.decorate('transfers', createTransferService(app.database))
}, { name: 'bank-transfers', dependencies: ['bank-database'] })
