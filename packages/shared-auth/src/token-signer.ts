import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import type { KeySet } from './keys.js'

/**
 * A signer for one token type with this service's signing key (the first of its key set, named by
 * `kid`). Each token gets `iat`, `exp` from `ttlSeconds`, and a fresh `jti`.
 */
export function createTokenSigner (keys: KeySet, typ: string) {
  const signing = keys.signing
  const sign = createSigner({
    key: signing.signWith,
    algorithm: signing.alg,
    kid: signing.kid,
    header: { alg: signing.alg, typ }
  })
  return function signToken (claims: Record<string, unknown>, ttlSeconds: number): string {
    const iat = Math.floor(Date.now() / 1000)
    return sign({ ...claims, iat, exp: iat + ttlSeconds, jti: randomUUID() })
  }
}
