import { AuthMissingTokenError, type StepUpRequirement, checkStepUp, meetsStepUp, redirectedToStepUp, stepUpRequirementFrom } from '@nestegg/shared-auth'
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import type { Kysely } from 'kysely'
import type { Config } from '../../config.js'
import type { BankDatabase } from '../../db/schema.js'

/** The bank's step-up rules, from its settings (docs/security.md, "Step-up rules"). */
export interface BankStepUpRules {
  /** What every rule demands: a level and a maximum age of the sign-in. */
  requirement: StepUpRequirement
  /** A transfer to another customer above this many cents. */
  transferAboveCents: number
  /** A transfer to another customer's account this customer never paid before. */
  newPayee: boolean
  passwordChange: boolean
  passkeyRemoval: boolean
}

export type StepUpRuleName = 'passwordChange' | 'passkeyRemoval'

export function stepUpRulesFrom (config: Config): BankStepUpRules {
  return {
    requirement: stepUpRequirementFrom(config),
    transferAboveCents: config.STEP_UP_TRANSFER_ABOVE_CENTS,
    newPayee: config.STEP_UP_NEW_PAYEE,
    passwordChange: config.STEP_UP_PASSWORD_CHANGE,
    passkeyRemoval: config.STEP_UP_PASSKEY_REMOVAL
  }
}

export interface TransferIntent {
  userId: string
  toAccountId?: string | undefined
  toAccountNumber?: string | undefined
  amountCents: number
}

/**
 * Whether a transfer needs a step-up. Moving money between one's own accounts never does. A
 * destination that does not exist counts as a payee never paid: the answer to a stale session is
 * the same 401 whether the account exists or not, before any rule of the ledger speaks.
 *
 * One statement reads the destination and whether this customer paid it before. It runs outside the
 * ledger's write transaction, which reads the destination again for the booking: both facts are
 * stable (an account never changes owner, a transfer is never deleted), and holding the writer
 * while a rule refuses would make every refusal wait for, and delay, the commits of others.
 */
export async function transferNeedsStepUp (db: Kysely<BankDatabase>, rules: BankStepUpRules, intent: TransferIntent): Promise<boolean> {
  const destination = await db.selectFrom('accounts')
    .select((eb) => ['accounts.user_id', eb.exists(eb.selectFrom('transfers').select('transfers.id')
      .where('transfers.user_id', '=', intent.userId).where('transfers.kind', '=', 'transfer')
      .whereRef('transfers.to_account_id', '=', 'accounts.id')).as('paid_before')])
    .where(intent.toAccountId !== undefined ? 'accounts.id' : 'accounts.number', '=', intent.toAccountId ?? intent.toAccountNumber ?? '')
    .executeTakeFirst()
  if (destination !== undefined && destination.user_id === intent.userId) return false
  if (intent.amountCents > rules.transferAboveCents) return true
  if (!rules.newPayee) return false
  // SQLite answers EXISTS with 0 or 1, PostgreSQL with a boolean.
  return destination === undefined || !Number(destination.paid_before)
}

declare module 'fastify' {
  interface FastifyInstance {
    stepUpRules: BankStepUpRules
    /**
     * A hook (onRequest or preHandler, after `authenticate`) for a rule that does not depend on the
     * body: the RFC 9470 401 when the rule is on and the sign-in is not fresh enough; else nothing.
     */
    requireStepUpFor: (rule: StepUpRuleName) => onRequestAsyncHookHandler
    /** For routes that check by hand (pages, rules that read the body): throws the 401 step-up error. */
    checkTransferStepUp: (request: FastifyRequest, intent: TransferIntent) => Promise<void>
    /**
     * For a page under a rule: when the rule is on and the sign-in not fresh enough, answers the
     * redirect to the step-up page (coming back to `returnTo`, a path of the bank) and says true.
     */
    pageStepUp: (request: FastifyRequest, reply: FastifyReply, rule: StepUpRuleName, returnTo: string) => Promise<boolean>
  }
}

export const stepUpRulesPlugin = fp(async function stepUpRules (app: FastifyInstance, options: { config: Config }) {
  const rules = stepUpRulesFrom(options.config)
  app.decorate('stepUpRules', rules)
  app.decorate('requireStepUpFor', function requireStepUpFor (rule: StepUpRuleName) {
    return async function stepUpRule (request: FastifyRequest) {
      if (rules[rule]) checkStepUp(request, rules.requirement)
    }
  })
  app.decorate('checkTransferStepUp', async function checkTransferStepUp (request: FastifyRequest, intent: TransferIntent) {
    if (request.authSession === null) throw new AuthMissingTokenError()
    // A fresh enough sign-in needs no look-up.
    if (meetsStepUp(request, rules.requirement)) return
    if (await transferNeedsStepUp(app.database.db, rules, intent)) checkStepUp(request, rules.requirement)
  })
  app.decorate('pageStepUp', async function pageStepUp (request: FastifyRequest, reply: FastifyReply, rule: StepUpRuleName, returnTo: string) {
    if (!rules[rule]) return false
    return redirectedToStepUp(reply, () => checkStepUp(request, rules.requirement), { bankUrl: '', siteUrl: '', path: returnTo })
  })
}, { name: 'bank-step-up-rules', dependencies: ['bank-database'] })
