import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { AuthConfigError } from './errors.js'

export type AuthMode = 'hs256' | 'eddsa'
export type SigningAlgorithm = 'HS256' | 'EdDSA'

/** One key that can sign: an HMAC secret, or an Ed25519 private key (PEM). */
export interface SigningKey {
  kid: string
  alg: SigningAlgorithm
  /** What fast-jwt signs with: the HMAC secret, or the PKCS#8 PEM. */
  signWith: string
  /** What fast-jwt verifies with: the same secret, or the SPKI PEM. */
  verifyWith: string
}

/** A key a token may be verified with, looked up by `kid`. */
export interface VerifyKey {
  kid: string
  alg: SigningAlgorithm
  verifyWith: string
}

/** A public JSON Web Key as published at /.well-known/jwks.json. */
export interface PublicJwk {
  kty: 'OKP'
  crv: 'Ed25519'
  x: string
  kid: string
  alg: 'EdDSA'
  use: 'sig'
}

const KID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The kid of a key given without a name (JWT_SECRET): a short hash of the secret, so every service
 * holding the same secret derives the same kid. 96 bits of SHA-256 reveal nothing usable about a
 * secret of at least 32 random bytes.
 */
export function kidForSecret (secret: string): string {
  return createHash('sha256').update(secret).digest('base64url').slice(0, 16)
}

export function hmacKey (secret: string, kid = kidForSecret(secret)): SigningKey {
  if (!KID.test(kid)) throw new AuthConfigError(`Key id "${kid}" must be 1 to 64 letters, digits, "-" or "_"`)
  return { kid, alg: 'HS256', signWith: secret, verifyWith: secret }
}

/** An Ed25519 key from a private JWK (`{kty: "OKP", crv: "Ed25519", d, x, kid}`). */
export function ed25519KeyFromJwk (jwk: Record<string, unknown>): SigningKey {
  const kid = jwk.kid
  if (typeof kid !== 'string' || !KID.test(kid)) throw new AuthConfigError('Every private JWK needs a kid of 1 to 64 letters, digits, "-" or "_"')
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.d !== 'string') {
    throw new AuthConfigError(`Key ${kid} is not an Ed25519 private JWK (kty OKP, crv Ed25519, with d)`)
  }
  let privateKey: KeyObject
  try {
    privateKey = createPrivateKey({ key: { kty: 'OKP', crv: 'Ed25519', d: jwk.d, x: jwk.x } as never, format: 'jwk' })
  } catch (error) {
    throw new AuthConfigError(`Key ${kid} cannot be read: ${(error as Error).message}`)
  }
  return {
    kid,
    alg: 'EdDSA',
    signWith: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    verifyWith: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()
  }
}

/** A fresh Ed25519 private JWK, for the development key file and for tests. */
export function generateEd25519Jwk (kid: string): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519')
  return { ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid }
}

export function publicJwk (key: SigningKey): PublicJwk {
  const jwk = createPublicKey(key.verifyWith).export({ format: 'jwk' }) as { x: string }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x, kid: key.kid, alg: 'EdDSA', use: 'sig' }
}

/** A published public JWK → a key to verify with; anything but an Ed25519 signing key is skipped. */
export function verifyKeyFromPublicJwk (jwk: unknown): VerifyKey | undefined {
  if (typeof jwk !== 'object' || jwk === null) return undefined
  const { kty, crv, x, kid, use } = jwk as Record<string, unknown>
  if (kty !== 'OKP' || crv !== 'Ed25519' || typeof x !== 'string' || typeof kid !== 'string' || !KID.test(kid)) return undefined
  if (use !== undefined && use !== 'sig') return undefined
  try {
    const pem = createPublicKey({ key: { kty, crv, x } as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString()
    return { kid, alg: 'EdDSA', verifyWith: pem }
  } catch {
    return undefined
  }
}

/**
 * A set of keys of one party: the first signs, every key verifies. Rotation adds a key, then moves
 * it first, then removes the old one; see docs/security.md. `replace` swaps in a re-read set of the
 * same algorithm (the issuer's key reload): everything holding this object sees the new keys.
 */
export class KeySet {
  private current: { keys: SigningKey[], byKid: Map<string, SigningKey> }

  constructor (keys: SigningKey[]) {
    this.current = KeySet.index(keys)
  }

  private static index (keys: SigningKey[]): { keys: SigningKey[], byKid: Map<string, SigningKey> } {
    if (keys[0] === undefined) throw new AuthConfigError('A key set needs at least one key')
    const algs = new Set(keys.map((key) => key.alg))
    if (algs.size > 1) throw new AuthConfigError('All keys of a key set must use one algorithm')
    const byKid = new Map<string, SigningKey>()
    for (const key of keys) {
      if (byKid.has(key.kid)) throw new AuthConfigError(`Key id ${key.kid} appears twice in the key set`)
      byKid.set(key.kid, key)
    }
    return { keys: [...keys], byKid }
  }

  get keys (): readonly SigningKey[] {
    return this.current.keys
  }

  get signing (): SigningKey {
    return this.current.keys[0] as SigningKey
  }

  get alg (): SigningAlgorithm {
    return this.signing.alg
  }

  get kids (): string[] {
    return this.current.keys.map((key) => key.kid)
  }

  find (kid: string): VerifyKey | undefined {
    return this.current.byKid.get(kid)
  }

  /** Takes the keys of `next` (same algorithm: the mode never changes at run time); answers the kids dropped. */
  replace (next: KeySet): string[] {
    if (next.alg !== this.alg) throw new AuthConfigError(`The reloaded keys use ${next.alg}, not ${this.alg}: the mode cannot change without a restart`)
    const dropped = this.kids.filter((kid) => next.find(kid) === undefined)
    this.current = KeySet.index([...next.keys])
    return dropped
  }

  publicJwks (): { keys: PublicJwk[] } {
    return { keys: this.keys.filter((key) => key.alg === 'EdDSA').map(publicJwk) }
  }
}
