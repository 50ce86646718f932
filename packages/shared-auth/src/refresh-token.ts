import { createHash, randomBytes } from 'node:crypto'

/** Opaque refresh tokens: 256 random bits, base64url. Only their hash is ever stored. */
export const REFRESH_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/

export interface IssuedRefreshToken {
  token: string
  hash: string
}

/**
 * SHA-256, not a password hash: the token has 256 bits of entropy, so there is nothing to guess and a
 * slow hash would only slow down every refresh.
 */
export function hashRefreshToken (token: string): string {
  return createHash('sha256').update(token).digest('base64url')
}

export function createRefreshToken (): IssuedRefreshToken {
  const token = randomBytes(32).toString('base64url')
  return { token, hash: hashRefreshToken(token) }
}

export function isRefreshTokenShape (value: unknown): value is string {
  return typeof value === 'string' && REFRESH_TOKEN_PATTERN.test(value)
}
