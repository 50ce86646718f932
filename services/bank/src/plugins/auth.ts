import { authOptionsFromConfig, sharedAuthPlugin, type SharedAuthOptions } from '@nestegg/shared-auth'
import type { Config } from '../config.js'

/** shared-auth options for the bank, the one service that issues user tokens. */
export function authOptions (config: Config): SharedAuthOptions {
  return authOptionsFromConfig(config, 'bank', {
    publicUrl: config.BANK_URL,
    // eddsa: the bank trusts retirement's service tokens through retirement's JWKS.
    peers: { retirement: config.RETIREMENT_INTERNAL_URL ?? config.RETIREMENT_URL }
  })
}

export { sharedAuthPlugin }
