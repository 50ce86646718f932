import type { BankAccountSummary, BankClient, ContributionDebit, DebitOutcome } from '../src/domain/bank/bank-client.js'

/**
 * A bank that keeps the promises the real one makes (idempotent on the contribution id, refuses
 * overdrafts and other people's accounts), with switches for the failures the tests need:
 * `down` answers nothing; `loseNextResponse` debits but loses the answer (a crash or a timeout
 * after the bank committed).
 */
export class FakeBank implements BankClient {
  readonly accounts = new Map<string, { userId: string, number: string, name: string, type: BankAccountSummary['type'], balanceCents: number }>()
  /** contribution id → the debit booked for it. */
  readonly debits = new Map<string, { transferId: string, fromAccountId: string, amountCents: number }>()
  calls = 0
  down = false
  loseNextResponse = false

  addAccount (id: string, userId: string, balanceCents: number, type: BankAccountSummary['type'] = 'checking'): void {
    this.accounts.set(id, { userId, number: `12345${String(this.accounts.size).padStart(5, '0')}`, name: type === 'checking' ? 'Checking' : 'Savings', type, balanceCents })
  }

  async debitForContribution (debit: ContributionDebit): Promise<DebitOutcome> {
    this.calls++
    if (this.down) return { kind: 'unavailable', error: 'connect ECONNREFUSED' }
    const previous = this.debits.get(debit.contributionId)
    let outcome: DebitOutcome
    if (previous !== undefined) {
      outcome = { kind: 'debited', transferId: previous.transferId }
    } else {
      const account = this.accounts.get(debit.fromAccountId)
      if (account === undefined || account.userId !== debit.userId) {
        return { kind: 'refused', code: 'BANK_ACCOUNT_NOT_FOUND', reason: 'Account not found' }
      }
      if (account.balanceCents < debit.amountCents) {
        return { kind: 'refused', code: 'BANK_INSUFFICIENT_FUNDS', reason: 'Insufficient funds' }
      }
      account.balanceCents -= debit.amountCents
      const transferId = `t-${this.debits.size + 1}`
      this.debits.set(debit.contributionId, { transferId, fromAccountId: debit.fromAccountId, amountCents: debit.amountCents })
      outcome = { kind: 'debited', transferId }
    }
    if (this.loseNextResponse) {
      this.loseNextResponse = false
      return { kind: 'unavailable', error: 'socket hang up' }
    }
    return outcome
  }

  async listAccounts (userId: string): Promise<BankAccountSummary[]> {
    if (this.down) throw new Error('connect ECONNREFUSED')
    return [...this.accounts].filter(([, account]) => account.userId === userId)
      .map(([id, account]) => ({ id, number: account.number, name: account.name, type: account.type, balanceCents: account.balanceCents }))
  }
}
