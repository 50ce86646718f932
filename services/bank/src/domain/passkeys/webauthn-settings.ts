/** Where passkeys are valid: the relying party ID (a host name) and the exact origin pages run at. */
export interface WebAuthnSettings {
  rpId: string
  rpName: string
  origin: string
}

/**
 * Resolves WEBAUTHN_RP_ID and WEBAUTHN_ORIGIN, each defaulting to the bank's public URL, and refuses
 * a pair browsers would reject: the RP ID must be the origin's host or a domain it sits under.
 */
export function webAuthnSettings (config: { BANK_URL: string, WEBAUTHN_RP_ID?: string, WEBAUTHN_ORIGIN?: string }): WebAuthnSettings {
  const origin = new URL(config.WEBAUTHN_ORIGIN ?? config.BANK_URL).origin
  const host = new URL(origin).hostname
  const rpId = (config.WEBAUTHN_RP_ID ?? host).toLowerCase()
  if (host !== rpId && !host.endsWith(`.${rpId}`)) {
    throw new Error(`WEBAUTHN_RP_ID "${rpId}" must be the host of WEBAUTHN_ORIGIN (${origin}) or a domain above it`)
  }
  return { rpId, rpName: 'Nestegg Bank', origin }
}
