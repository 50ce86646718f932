import type { FastifyBaseLogger } from 'fastify'
import { createProblemLog } from './problem-log.js'

type Trouble = { kind: 'refused', status: number } | { kind: 'unreachable' }

/** Why a party refuses, as an operator would read it, with the settings to look at. */
function describe (party: string, url: string, trouble: Trouble, budgetMs: number): string {
  if (trouble.kind === 'unreachable') {
    return `${party} has not been reached at ${url} for ${Math.round(budgetMs / 1000)} s: check that it runs and that RELYING_PARTIES gives its internal URL; until it is back, a session ended at the bank is refused there only after its catch-up`
  }
  if (trouble.status === 401) {
    return `${party} refuses our logout tokens (401): its AUTH_MODE or keys differ from the bank's; compare AUTH_MODE and JWT_SECRETS / JWT_KEYS_FILE on both (its /readyz names the cause)`
  }
  return `${party} forbids our back-channel notices (${trouble.status}): something in front of it (a proxy, a firewall rule) refuses the bank's POST`
}

/**
 * Per party: can it receive the bank's back-channel notices? A refusal (401/403), or failures
 * beyond the retry budget, is logged once at error level, naming the party and the likely cause,
 * and kept for the bank's /readyz until a notice gets through again.
 */
export function createDeliveryHealth (options: { log: FastifyBaseLogger, urls: Map<string, string>, retryBudgetMs: number, clock: () => number }) {
  const troubles = createProblemLog<string>(options.log)
  /** When the current run of failed attempts at each party began. */
  const failingSince = new Map<string, number>()

  function flag (party: string, trouble: Trouble): void {
    const message = describe(party, options.urls.get(party) ?? '', trouble, options.retryBudgetMs)
    troubles.raise(party, message, { party, ...(trouble.kind === 'refused' ? { status: trouble.status } : {}) })
  }

  return {
    /** Whether this party is already known to be in trouble (its repeated failures then log at debug). */
    troubled: (party: string): boolean => troubles.has(party),
    refused (party: string, status: number): void {
      failingSince.delete(party)
      flag(party, { kind: 'refused', status })
    },
    /** Not reached, or answered with a server error: retried; flagged once failing longer than the budget. */
    failed (party: string): void {
      const now = options.clock()
      const since = failingSince.get(party) ?? now
      failingSince.set(party, since)
      if (now - since >= options.retryBudgetMs) flag(party, { kind: 'unreachable' })
    },
    delivered (party: string): void {
      failingSince.delete(party)
      troubles.clear(party, { party }, `${party} receives the bank's back-channel notices again`)
    },
    /** One line per party that cannot receive notices now, for /readyz. */
    problems: troubles.problems
  }
}

export type DeliveryHealth = ReturnType<typeof createDeliveryHealth>
