import { randomUUID } from 'node:crypto'
import type { DatabaseHandle } from '@nestegg/platform'
import type { AccountView } from '@nestegg/shared-auth'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { BankDatabase, TransferKind } from '../../db/schema.js'
import { AccountNotFoundError } from '../../errors.js'
import { FUNDING_ACCOUNT } from '../ledger/bank-accounts.js'
import { newTransferId } from '../ledger/ledger-ids.js'
import { CURRENCY, type Cents } from '../ledger/money.js'
import { ledgerStatements } from '../ledger/ledger-statements.js'
import { postTransfer } from '../ledger/posting.js'
import { generateAccountNumber } from './account-number.js'
import { type HistoryPage, type HistoryItem, listEntries } from './account-history.js'
import { type Recipient, type TransferReceipt, findReceipt, findRecipient } from './transfer-receipt.js'

export interface AccountServiceOptions {
  /** Booked from the funding account into every new checking account; 0 for none. */
  welcomeDepositCents: Cents
}

const CUSTOMER_ACCOUNTS = [
  { type: 'checking', name: 'Checking' },
  { type: 'savings', name: 'Savings' }
] as const

async function unusedAccountNumber (trx: Kysely<BankDatabase>): Promise<string> {
  for (;;) {
    const number = generateAccountNumber()
    const taken = await trx.selectFrom('accounts').select('id').where('number', '=', number).executeTakeFirst()
    if (taken === undefined) return number
  }
}

export function createAccountService (database: DatabaseHandle<BankDatabase>, options: AccountServiceOptions) {
  const db = database.db
  const ledger = ledgerStatements(database.engine)
  return {
    /** Inside the signup transaction: a checking and a savings account, and the welcome deposit. */
    async openCustomerAccounts (trx: Kysely<BankDatabase>, userId: string): Promise<void> {
      const now = Date.now()
      const ids: string[] = []
      for (const account of CUSTOMER_ACCOUNTS) {
        const id = randomUUID()
        ids.push(id)
        await trx.insertInto('accounts').values({
          id,
          number: await unusedAccountNumber(trx),
          user_id: userId,
          type: account.type,
          name: account.name,
          currency: CURRENCY,
          balance_cents: 0,
          opening_balance_cents: 0,
          created_at: now
        }).execute()
      }
      if (options.welcomeDepositCents > 0) {
        await postTransfer(trx, ledger, {
          id: newTransferId(now),
          kind: 'welcome',
          userId,
          idempotencyKey: null,
          requestHash: null,
          fromAccountId: FUNDING_ACCOUNT.id,
          toAccountId: ids[0] as string,
          amountCents: options.welcomeDepositCents,
          memo: 'Welcome to Nestegg',
          createdAt: now
        })
      }
    },

    async listForUser (userId: string): Promise<AccountView[]> {
      const rows = await db.selectFrom('accounts').selectAll().where('user_id', '=', userId)
        .orderBy('type').execute()
      // Customers own only checking and savings accounts in USD (the schema's CHECKs).
      return rows.map((row) => ({
        id: row.id,
        number: row.number,
        type: row.type as AccountView['type'],
        name: row.name,
        balanceCents: Number(row.balance_cents),
        currency: CURRENCY
      }))
    },

    /** The user's own account, or BANK_ACCOUNT_NOT_FOUND (also for someone else's). */
    async getOwned (userId: string, accountId: string): Promise<AccountView> {
      const account = (await this.listForUser(userId)).find((candidate) => candidate.id === accountId)
      if (account === undefined) throw new AccountNotFoundError('Account')
      return account
    },

    /** One account's entries, newest first; `before` is the last transfer id of the previous page. */
    async history (userId: string, accountId: string, page: { limit: number, before?: string | undefined }): Promise<HistoryPage> {
      await this.getOwned(userId, accountId)
      return listEntries(db, userId, { accountId, ...page })
    },

    /** The newest entries across all of the user's accounts (the dashboard). */
    async recent (userId: string, limit: number): Promise<HistoryItem[]> {
      return (await listEntries(db, userId, { limit })).items
    },

    /** The holder of a customer account number (the transfer review), or undefined. */
    recipient: (number: string): Promise<Recipient | undefined> => findRecipient(db, number),

    /** A transfer the user sent, for its confirmation page, or undefined (also someone else's). */
    receipt: (userId: string, transferId: string): Promise<TransferReceipt | undefined> => findReceipt(db, userId, transferId)
  }
}

export type AccountService = ReturnType<typeof createAccountService>
export type { AccountView, HistoryItem, HistoryPage, Recipient, TransferKind, TransferReceipt }

declare module 'fastify' {
  interface FastifyInstance {
    accounts: AccountService
  }
}

export const accountServicePlugin = fp(async function accountService (app: FastifyInstance, options: AccountServiceOptions) {
  app.decorate('accounts', createAccountService(app.database, options))
}, { name: 'bank-accounts', dependencies: ['bank-database'] })
