import { randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import type { KeySet, SigningKey } from './keys.js'

/**
 * A signer for one token type with this service's signing key (the first of its key set, named by
 * `kid`). Each token gets `iat`, `exp` from `ttlSeconds`, and a fresh `jti`.
 */
export function createTokenSigner (keys: KeySet, typ: string) {
  // Rebuilt when the key set's signing key changes (a key reload at the issuer).
  let built: { key: SigningKey, sign: (payload: Record<string, unknown>) => string } | undefined
  function signer () {
    const signing = keys.signing
    if (built?.key !== signing) {
      built = { key: signing, sign: createSigner({ key: signing.signWith, algorithm: signing.alg, kid: signing.kid, header: { alg: signing.alg, typ } }) }
    }
    return built.sign
  }
  return function signToken (claims: Record<string, unknown>, ttlSeconds: number): string {
    const iat = Math.floor(Date.now() / 1000)
    return signer()({ ...claims, iat, exp: iat + ttlSeconds, jti: randomUUID() })
  }
}
