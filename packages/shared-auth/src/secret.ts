import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { AuthConfigError } from './errors.js'
import type { KeySource } from './key-config.js'

export const MIN_SECRET_BYTES = 32

export type SecretSource = Pick<KeySource, 'JWT_SECRET' | 'JWT_SECRET_FILE' | 'NODE_ENV'>

/** The repository root: both src/ and dist/ sit two levels below it, under packages/shared-auth. */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url))
export const DEV_SECRET_PATH = join(repositoryRoot, '.dev-secrets', 'jwt-secret')

/** Refuses an HMAC secret shorter than MIN_SECRET_BYTES, naming where it came from. */
export function checkSecretLength (secret: string, where: string): string {
  const bytes = Buffer.byteLength(secret, 'utf8')
  if (bytes < MIN_SECRET_BYTES) {
    throw new AuthConfigError(`${where} is ${bytes} bytes long; a JWT secret must be at least ${MIN_SECRET_BYTES} bytes`)
  }
  return secret
}

/**
 * Development only: one random secret shared by every service on this clone, so that a fresh
 * `npm start` has working single sign-on. Written through a hard link so that two services
 * starting at the same moment can never read a half-written file.
 */
export function loadOrCreateDevSecret (path = DEV_SECRET_PATH): string {
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
    const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`
    writeFileSync(temporary, randomBytes(48).toString('base64url'), { mode: 0o600 })
    try {
      linkSync(temporary, path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      rmSync(temporary, { force: true })
    }
  }
  return readFileSync(path, 'utf8').trim()
}

/** Resolves the common HMAC secret: JWT_SECRET, then JWT_SECRET_FILE, then (development only) the dev file. */
export function resolveJwtSecret (source: SecretSource, devSecretPath = DEV_SECRET_PATH): string {
  // resolveKeySet has already refused more than one of them.
  if (source.JWT_SECRET) return checkSecretLength(source.JWT_SECRET, 'JWT_SECRET')
  if (source.JWT_SECRET_FILE) {
    let content: string
    try {
      content = readFileSync(source.JWT_SECRET_FILE, 'utf8').trim()
    } catch (error) {
      throw new AuthConfigError(
        `JWT_SECRET_FILE (${source.JWT_SECRET_FILE}) cannot be read: ${(error as Error).message}`
      )
    }
    return checkSecretLength(content, 'JWT_SECRET_FILE')
  }
  if (source.NODE_ENV === 'production') {
    throw new AuthConfigError('JWT_SECRET or JWT_SECRET_FILE must be set when NODE_ENV=production')
  }
  return checkSecretLength(loadOrCreateDevSecret(devSecretPath), devSecretPath)
}
