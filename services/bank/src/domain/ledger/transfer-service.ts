import { createHash } from 'node:crypto'
import { type DatabaseHandle, type GroupCommitOptions, createGroupCommit } from '@nestegg/platform'
import type { TransferKind, TransferView } from '@nestegg/shared-auth'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { BankDatabase, TransfersTable } from '../../db/schema.js'
import { BIDI_CONTROL } from '../text.js'
import {
  AccountNotFoundError,
  BidiControlError,
  IdempotencyKeyReusedError,
  InvalidAmountError,
  InvalidTransferError,
  SameAccountError
} from '../../errors.js'
import { RETIREMENT_CLEARING_ACCOUNT } from './bank-accounts.js'
import { newTransferId } from './ledger-ids.js'
import { ledgerStatements } from './ledger-statements.js'
import { CURRENCY, type Cents, MAX_TRANSFER_CENTS, isValidTransferAmount } from './money.js'
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

type StoredTransfer = Omit<TransfersTable, 'user_id' | 'idempotency_key'> & { to_number: string }

function toView (row: Omit<StoredTransfer, 'request_hash' | 'to_number'>, toNumber: string): TransferView {
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

export function createTransferService (database: DatabaseHandle<BankDatabase>, options: GroupCommitOptions = {}) {
  const run = ledgerStatements(database.engine)
  // Transfers that arrive together share one synced commit (SQLite); see group-commit.ts.
  const group = createGroupCommit(database, options)

  /** Inside the write transaction: the whole transfer, or the one already booked under its key. */
  async function book (trx: Kysely<BankDatabase>, request: TransferRequest, kind: Exclude<TransferKind, 'welcome'>, memo: string | null, hash: string): Promise<TransferView> {
    // Source and destination in one statement.
    const { toAccountId, toAccountNumber } = request
    const { rows: candidates } = await run<{ id: string, number: string, user_id: string | null }>(trx,
      toAccountId !== undefined ? 'accountsById' : 'accountsByNumber',
      [request.fromAccountId, request.userId, toAccountId ?? toAccountNumber])
    const source = candidates.find((account) => account.id === request.fromAccountId && account.user_id === request.userId)
    if (source === undefined) throw new AccountNotFoundError('Source account')
    const destination = candidates.find((account) => toAccountId !== undefined ? account.id === toAccountId : account.number === toAccountNumber)
    const allowed = kind === 'contribution'
      ? destination?.id === RETIREMENT_CLEARING_ACCOUNT.id
      : destination !== undefined && destination.user_id !== null
    if (destination === undefined || !allowed) throw new AccountNotFoundError('Destination account')
    if (destination.id === source.id) throw new SameAccountError()

    const row = await postTransfer(trx, run, {
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
    if (row !== undefined) return toView(row, destination.number)
    // The key was used before: the same request answers that transfer, another one is a 422.
    const { rows } = await run<StoredTransfer>(trx, 'transferByKey', [request.userId, request.idempotencyKey])
    const existing = rows[0]
    if (existing === undefined) throw new Error('idempotency key conflict without a transfer')
    if (existing.request_hash !== hash) throw new IdempotencyKeyReusedError()
    return toView(existing, existing.to_number)
  }

  /**
   * Moves money from one of the user's accounts to another account, once per idempotency key:
   * the same key with the same request answers the transfer already booked; with a different
   * request, a 422. Every refusal leaves the database untouched. Answers only after the commit
   * that holds the transfer is on disk.
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
    if (memo !== null && BIDI_CONTROL.test(memo)) throw new BidiControlError('A memo')
    const hash = fingerprint(request, kind, kind === 'contribution' ? CONTRIBUTION_MEMO : memo)
    return group.run((trx) => book(trx, request, kind, memo, hash))
  }

  return { transfer, commits: group.stats }
}

export type TransferService = ReturnType<typeof createTransferService>

declare module 'fastify' {
  interface FastifyInstance {
    /** The ledger's one way to move money between customers (and into retirement clearing). */
    transfers: TransferService
  }
}

export const transferServicePlugin = fp(async function transferService (app: FastifyInstance) {
  // Up to 64 transfers a commit, gathered for one turn of the event loop (no added wait): under
  // load, what arrived while the last commit synced.
  const service = createTransferService(app.database, { maxBatch: 64, maxWaitMs: 0 })
  app.decorate('transfers', service)
  // How well transfers shared their commits, for whoever reads the log (and the benchmark notes).
  app.addHook('onClose', async () => {
    const { commits, units, largestBatch } = service.commits()
    if (units > 0) app.log.info({ commits, transfers: units, largestBatch, meanBatch: Number((units / commits).toFixed(2)) }, 'transfer group commits')
  })
}, { name: 'bank-transfers', dependencies: ['bank-database'] })
