import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { dirname, join } from 'node:path'
import type { RelyingPartyConfig } from './config.js'
import { AuthConfigError } from './errors.js'
import { type AuthMode, KeySet, ed25519KeyFromJwk, generateEd25519Jwk, hmacKey } from './keys.js'
import { DEV_SECRET_PATH, checkSecretLength, resolveJwtSecret } from './secret.js'

/** The settings keys come from: the config schema's own fields, never a second description of them. */
export type KeySource = Partial<Pick<RelyingPartyConfig, 'AUTH_MODE' | 'JWT_SECRET' | 'JWT_SECRET_FILE' | 'JWT_SECRETS' | 'JWT_KEYS_FILE' | 'NODE_ENV'>>

/** JWT_SECRETS: `kid:secret,kid:secret`; the first signs. */
export function parseSecretList (value: string): KeySet {
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry !== '')
  return new KeySet(entries.map((entry, index) => {
    const colon = entry.indexOf(':')
    if (colon <= 0) throw new AuthConfigError(`JWT_SECRETS entry ${index + 1} must be kid:secret`)
    return hmacKey(checkSecretLength(entry.slice(colon + 1), `JWT_SECRETS key ${entry.slice(0, colon)}`), entry.slice(0, colon))
  }))
}

function readJwks (path: string): Array<Record<string, unknown>> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch (error) {
    throw new AuthConfigError(`JWT_KEYS_FILE (${path}) cannot be read as JSON: ${(error as Error).message}`)
  }
  const keys = (parsed as { keys?: unknown }).keys
  if (!Array.isArray(keys) || keys.length === 0) throw new AuthConfigError(`JWT_KEYS_FILE (${path}) must be {"keys": [...]} with at least one key`)
  return keys as Array<Record<string, unknown>>
}

/** A JWK Set of `oct` keys: `{"keys": [{"kty": "oct", "kid": "...", "k": base64url(secret)}]}`. */
export function readHmacKeyFile (path: string): KeySet {
  return new KeySet(readJwks(path).map((jwk) => {
    if (jwk.kty !== 'oct' || typeof jwk.k !== 'string' || typeof jwk.kid !== 'string') {
      throw new AuthConfigError(`JWT_KEYS_FILE (${path}): every key must be {kty: "oct", kid, k}`)
    }
    const secret = Buffer.from(jwk.k, 'base64url').toString('utf8')
    return hmacKey(checkSecretLength(secret, `JWT_KEYS_FILE key ${jwk.kid}`), jwk.kid)
  }))
}

export function readEd25519KeyFile (path: string): KeySet {
  return new KeySet(readJwks(path).map(ed25519KeyFromJwk))
}

/** Development only: each service gets its own Ed25519 key file, created on first use. */
export function devKeyFilePath (service: string): string {
  return join(dirname(DEV_SECRET_PATH), `${service}-ed25519.jwks.json`)
}

function loadOrCreateDevKeyFile (path: string, service: string): KeySet {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
    const kid = `${service}-dev-${randomBytes(4).toString('hex')}`
    writeFileSync(temporary, JSON.stringify({ keys: [generateEd25519Jwk(kid)] }), { mode: 0o600 })
    try {
      linkSync(temporary, path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      rmSync(temporary, { force: true })
    }
  }
  return readEd25519KeyFile(path)
}

/**
 * This service's own keys. hs256: JWT_SECRETS, JWT_KEYS_FILE, or the single JWT_SECRET /
 * JWT_SECRET_FILE (or the development secret), shared by every service. eddsa: this service's
 * Ed25519 private keys from JWT_KEYS_FILE (development: a generated file per service).
 */
export function resolveKeySet (source: KeySource, service: string): KeySet {
  const given = ['JWT_SECRET', 'JWT_SECRET_FILE', 'JWT_SECRETS', 'JWT_KEYS_FILE']
    .filter((name) => (source[name as keyof KeySource] ?? '') !== '')
  if (given.length > 1) throw new AuthConfigError(`Set only one of ${given.join(', ')}`)
  if ((source.AUTH_MODE ?? 'hs256') === 'eddsa') {
    if (given.length === 1 && source.JWT_KEYS_FILE === undefined) {
      throw new AuthConfigError(`AUTH_MODE=eddsa takes this service's private keys from JWT_KEYS_FILE, not ${given[0]}`)
    }
    if (source.JWT_KEYS_FILE) return readEd25519KeyFile(source.JWT_KEYS_FILE)
    if (source.NODE_ENV === 'production') throw new AuthConfigError('JWT_KEYS_FILE must be set when NODE_ENV=production')
    return loadOrCreateDevKeyFile(devKeyFilePath(service), service)
  }
  if (source.JWT_SECRETS) return parseSecretList(source.JWT_SECRETS)
  if (source.JWT_KEYS_FILE) return readHmacKeyFile(source.JWT_KEYS_FILE)
  return new KeySet([hmacKey(resolveJwtSecret(source))])
}
