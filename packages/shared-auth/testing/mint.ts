/** Tokens minted the way the bank would (or deliberately wrongly), and carried as a cookie. */
import { createHmac, randomBytes, randomUUID } from 'node:crypto'
import { createSigner } from 'fast-jwt'
import { ACCESS_TOKEN_TYP, BACKCHANNEL_LOGOUT_EVENT, LOGOUT_TOKEN_TYP, SERVICE_TOKEN_TYP } from '../src/claims.js'
import { ISSUER_AUDIENCE, audienceOf } from '../src/contract.js'
import { type SigningKey, kidForSecret } from '../src/keys.js'

export { generateEd25519Jwk, ed25519KeyFromJwk, hmacKey, kidForSecret } from '../src/keys.js'
export { createRefreshToken } from '../src/refresh-token.js'

export const DEFAULT_ACCESS_COOKIE = 'nestegg_access'

export function randomSecret (): string {
  return randomBytes(48).toString('base64url')
}

export interface TestUser {
  id: string
  username: string
  name: string
}

export interface MintOptions {
  secret: string
  /** Claims to add or override; `undefined` removes a claim. */
  claims?: Record<string, unknown>
  header?: Record<string, unknown>
  algorithm?: 'HS256' | 'HS384' | 'HS512'
  ttlSeconds?: number
  /** Issued-at in seconds since the epoch (default: now). */
  iat?: number
  /** The key id in the header (default: the one the services derive from `secret`). */
  kid?: string
}

/** A user access token as the bank signs it, with any claim overridable for attack tests. */
export function mintAccessToken (user: TestUser, options: MintOptions): string {
  const iat = options.iat ?? Math.floor(Date.now() / 1000)
  const payload: Record<string, unknown> = {
    sub: user.id,
    username: user.username,
    name: user.name,
    iss: ISSUER_AUDIENCE,
    aud: [ISSUER_AUDIENCE, audienceOf('retirement')],
    iat,
    exp: iat + (options.ttlSeconds ?? 900),
    jti: randomUUID(),
    // A password sign-in at the moment of issue, as the bank's login gives.
    amr: ['pwd'],
    acr: 'nestegg:pwd',
    auth_time: iat,
    ...options.claims
  }
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key]
  return signRaw(payload, options.secret, { typ: ACCESS_TOKEN_TYP, kid: options.kid ?? kidForSecret(options.secret), ...options.header }, options.algorithm)
}

/** A back-channel logout token as the bank signs it for retirement. */
export function mintLogoutToken (session: { sessionId: string, userId: string }, options: MintOptions): string {
  const iat = options.iat ?? Math.floor(Date.now() / 1000)
  const payload: Record<string, unknown> = {
    sub: session.userId,
    sid: session.sessionId,
    iss: ISSUER_AUDIENCE,
    aud: audienceOf('retirement'),
    iat,
    exp: iat + (options.ttlSeconds ?? 120),
    jti: randomUUID(),
    events: { [BACKCHANNEL_LOGOUT_EVENT]: {} },
    ...options.claims
  }
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key]
  return signRaw(payload, options.secret, { typ: LOGOUT_TOKEN_TYP, kid: options.kid ?? kidForSecret(options.secret), ...options.header }, options.algorithm)
}

/** Signs a payload with any signing key (HMAC or Ed25519), as-is: for the asymmetric-mode tests. */
export function signWithKey (payload: Record<string, unknown>, key: SigningKey, header: Record<string, unknown>): string {
  return createSigner({ key: key.signWith, algorithm: key.alg, kid: key.kid, noTimestamp: true, header: { alg: key.alg, ...header } })(payload)
}

/** A service token as retirement would mint it for the bank. */
export function mintServiceToken (userId: string, options: MintOptions & { scope?: string }): string {
  const iat = options.iat ?? Math.floor(Date.now() / 1000)
  const payload: Record<string, unknown> = {
    sub: userId,
    iss: audienceOf('retirement'),
    aud: ISSUER_AUDIENCE,
    iat,
    exp: iat + (options.ttlSeconds ?? 60),
    jti: randomUUID(),
    scope: options.scope ?? 'contributions',
    act: { sub: audienceOf('retirement') },
    ...options.claims
  }
  for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key]
  return signRaw(payload, options.secret, { typ: SERVICE_TOKEN_TYP, kid: options.kid ?? kidForSecret(options.secret), ...options.header }, options.algorithm)
}

/** Signs any payload as-is (no defaults added, any header), for tokens that are wrong on purpose. */
export function signRaw (
  payload: unknown,
  secret: string,
  header: Record<string, unknown> = { typ: ACCESS_TOKEN_TYP },
  algorithm: 'HS256' | 'HS384' | 'HS512' = 'HS256'
): string {
  return signSegments(JSON.stringify({ alg: algorithm, ...header }), JSON.stringify(payload), secret, algorithm)
}

/** Signs two arbitrary segments (not necessarily JSON, or UTF-8) with HMAC. */
export function signSegments (
  header: string | Buffer,
  payload: string | Buffer,
  secret: string,
  algorithm: 'HS256' | 'HS384' | 'HS512' = 'HS256'
): string {
  const input = `${base64url(header)}.${base64url(payload)}`
  const digest = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[algorithm]
  return `${input}.${createHmac(digest, secret).update(input).digest('base64url')}`
}

export function base64url (value: string | Buffer): string {
  return Buffer.from(value).toString('base64url')
}

/** The Cookie header a browser would send with the access cookie. */
export function accessCookie (token: string, name = DEFAULT_ACCESS_COOKIE): string {
  return `${name}=${token}`
}

