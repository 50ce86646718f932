import type { FastifyBaseLogger } from 'fastify'
import type { IssuerConfig } from './config.js'
import { ISSUER_NAME } from './contract.js'
import { resolveKeySet } from './key-config.js'
import type { KeySet } from './keys.js'

export interface KeyReloadResult {
  /** The kids held after the reload, the signing one first. */
  kids: string[]
  /** The kids dropped by this reload: every party has been told. */
  withdrawn: string[]
  /** Set when the files could not be read: the keys held before stay. */
  error?: string
}

/**
 * The bank's key reload (an emergency withdrawal, or a planned step without a restart): reads the
 * key settings again, swaps the key set in place, forgets tokens accepted under a dropped kid here,
 * and has every party told. Environment values (JWT_SECRETS, JWT_SECRET) cannot change in a running
 * process: a reload re-reads files only.
 */
export function createKeyReload (options: {
  config: IssuerConfig
  keys: KeySet
  forgetAcceptedTokens: (withdrawn: (kid: string) => boolean) => number
  notifyParties: (withdrawn: string[]) => void
  log: FastifyBaseLogger
}) {
  return function reloadSigningKeys (): KeyReloadResult {
    let withdrawn: string[]
    try {
      withdrawn = options.keys.replace(resolveKeySet(options.config, ISSUER_NAME))
    } catch (error) {
      const message = (error as Error).message
      options.log.error({ err: message }, 'signing keys not reloaded; the keys held before stay in use')
      return { kids: options.keys.kids, withdrawn: [], error: message }
    }
    const kids = options.keys.kids
    if (withdrawn.length === 0) {
      options.log.info({ kids }, 'signing keys reloaded; none withdrawn')
      return { kids, withdrawn }
    }
    const forgotten = options.forgetAcceptedTokens((kid) => withdrawn.includes(kid))
    options.notifyParties(withdrawn)
    options.log.warn({ kids, withdrawn, forgotten }, 'signing keys withdrawn: every party is told to drop them')
    return { kids, withdrawn }
  }
}
