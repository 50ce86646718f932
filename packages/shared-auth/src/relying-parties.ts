import { AuthConfigError } from './errors.js'
import { isPartyName } from './contract.js'

/** A relying party the issuer knows: its name and where it listens server-to-server. */
export interface RelyingPartyEntry {
  name: string
  url: string
}

/**
 * RELYING_PARTIES: `name=internalBaseUrl,...`, for example
 * `retirement=http://127.0.0.1:3001,insurance=http://127.0.0.1:3002`.
 */
export function parseRelyingParties (value: string): RelyingPartyEntry[] {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  if (entries.length === 0) throw new AuthConfigError('RELYING_PARTIES names no party')
  const parties = entries.map((entry) => {
    const equals = entry.indexOf('=')
    const name = entry.slice(0, equals)
    const url = entry.slice(equals + 1)
    if (equals <= 0 || !isPartyName(name)) {
      throw new AuthConfigError(`RELYING_PARTIES entry "${entry}" must be name=url, the name lower-case letters, digits and "-"`)
    }
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url)) throw new AuthConfigError(`RELYING_PARTIES: the URL of ${name} must be http(s)://…`)
    if (name === 'bank') throw new AuthConfigError('RELYING_PARTIES: the bank is the issuer, not a relying party')
    return { name, url }
  })
  const names = new Set(parties.map((party) => party.name))
  if (names.size !== parties.length) throw new AuthConfigError('RELYING_PARTIES names a party twice')
  return parties
}
