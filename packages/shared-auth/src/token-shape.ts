/** Longer than any token the bank signs by far; anything above is refused before parsing. */
export const MAX_TOKEN_LENGTH = 4096

const SEGMENT = /^[A-Za-z0-9_-]+$/

/**
 * A compact JWS, as RFC 7515 defines it: three non-empty base64url segments without padding, each in
 * canonical form (re-encoding its bytes gives back the same text, so no two spellings of one
 * signature exist). Checked before any decoding or cryptography.
 */
export function isCanonicalCompactJws (token: string): boolean {
  if (token.length > MAX_TOKEN_LENGTH) return false
  const segments = token.split('.')
  if (segments.length !== 3) return false
  return segments.every((segment) =>
    SEGMENT.test(segment) && Buffer.from(segment, 'base64url').toString('base64url') === segment)
}

const FORBIDDEN_KEYS = ['__proto__', 'constructor', 'prototype']

/** A claims object whose own keys could poison a prototype when copied is refused outright. */
export function hasDangerousKeys (payload: object): boolean {
  return FORBIDDEN_KEYS.some((key) => Object.hasOwn(payload, key))
}
