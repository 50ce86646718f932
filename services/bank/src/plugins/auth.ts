import { parseRelyingParties, type RelyingPartyEntry } from '@nestegg/shared-auth'
import type { Config } from '../config.js'

/** The registry of relying parties: RELYING_PARTIES, or retirement alone where it listens. */
export function relyingPartiesFrom (config: Config): RelyingPartyEntry[] {
  return parseRelyingParties(config.RELYING_PARTIES ?? `retirement=${config.RETIREMENT_INTERNAL_URL ?? config.RETIREMENT_URL}`)
}
