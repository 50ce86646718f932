import { authOptionsFromConfig, sharedAuthPlugin, type SharedAuthOptions } from '@nestegg/shared-auth'
import type { Config } from '../config.js'

/** shared-auth options for retirement: it verifies the bank's user tokens and never issues them. */
export function authOptions (config: Config): SharedAuthOptions {
  return authOptionsFromConfig(config, 'retirement', {
    publicUrl: config.RETIREMENT_URL,
    // eddsa: the bank's public keys come from its JWKS, fetched server-to-server.
    peers: { bank: config.BANK_INTERNAL_URL ?? config.BANK_URL }
  })
}

export { sharedAuthPlugin }
