import { fetchWithTimeout } from '@nestegg/platform'
import { INTERNAL_PATHS, ISSUER_NAME, SCOPES, type ServiceTokenRequest } from '@nestegg/shared-auth'
import type { BankAccountSummary, BankClient, ContributionDebit, DebitOutcome } from './bank-client.js'

export interface HttpBankClientOptions {
  /** BANK_INTERNAL_URL (or BANK_URL): where retirement reaches the bank server-to-server. */
  baseUrl: string
  timeoutMs: number
  /** shared-auth's app.signServiceToken: the only way retirement gets a credential for the bank. */
  signServiceToken: (request: ServiceTokenRequest) => Promise<string>
  fetch?: typeof fetch
}

/** Statuses that mean "not now" rather than "no": the same request may succeed later. */
function isTransient (status: number): boolean {
  // 401: our own service token was refused (clock skew, a secret being rotated): not the user's fault.
  return status >= 500 || status === 401 || status === 408 || status === 429
}

async function readJson (response: Response): Promise<Record<string, unknown>> {
  try {
    return await response.json() as Record<string, unknown>
  } catch {
    return {}
  }
}

export function createHttpBankClient (options: HttpBankClientOptions): BankClient {
  const base = options.baseUrl.replace(/\/+$/, '')

  async function call (path: string, init: RequestInit, token: string, requestId: string | undefined): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${token}`)
    headers.set('accept', 'application/json')
    if (requestId !== undefined) headers.set('x-request-id', requestId)
    return fetchWithTimeout(`${base}${path}`, { ...init, headers, timeoutMs: options.timeoutMs, ...(options.fetch ? { fetch: options.fetch } : {}) })
  }

  return {
    async debitForContribution (debit: ContributionDebit): Promise<DebitOutcome> {
      let response: Response
      try {
        const token = await options.signServiceToken({ userId: debit.userId, audience: ISSUER_NAME, scope: SCOPES.contributions })
        response = await call(INTERNAL_PATHS.contributions, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': debit.contributionId },
          body: JSON.stringify({ fromAccountId: debit.fromAccountId, amountCents: debit.amountCents, planName: debit.planName })
        }, token, debit.requestId)
      } catch (error) {
        return { kind: 'unavailable', error: (error as Error).message }
      }
      const body = await readJson(response)
      if (response.ok && typeof body.transferId === 'string') return { kind: 'debited', transferId: body.transferId }
      if (response.ok || isTransient(response.status)) {
        return { kind: 'unavailable', error: `bank answered ${response.status} ${String(body.code ?? '')}`.trim() }
      }
      return {
        kind: 'refused',
        code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
        reason: typeof body.message === 'string' ? body.message : `The bank refused (${response.status})`
      }
    },

    async listAccounts (userId: string, requestId?: string): Promise<BankAccountSummary[]> {
      const token = await options.signServiceToken({ userId, audience: ISSUER_NAME, scope: SCOPES.accountsRead })
      const response = await call(INTERNAL_PATHS.accounts, { method: 'GET' }, token, requestId)
      if (!response.ok) throw new Error(`bank answered ${response.status} listing accounts`)
      const body = await response.json() as { accounts?: BankAccountSummary[] }
      return (body.accounts ?? []).map(({ id, number, name, type, balanceCents }) => ({ id, number, name, type, balanceCents }))
    }
  }
}
