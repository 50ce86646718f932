import { createHmac } from 'node:crypto'
import { ISSUER_AUDIENCE, audienceOf } from '../src/contract.js'
import { base64url, createRefreshToken, kidForSecret, mintAccessToken, mintLogoutToken, mintServiceToken, randomSecret, signRaw, signSegments, type TestUser } from './mint.js'

/**
 * Every forged, replayed or confused token we know of. Each names the requirement it checks:
 * RFC 8725 (JWT Best Current Practices) sections and OWASP ASVS 4.0 V3.5 / V13 items.
 * Used by the unit suite (against `authenticate`) and by the e2e suite (HTTP, both services).
 */
export interface AttackContext {
  /** The service under attack: some cases are built for the other one. */
  target: string
  /** A URL the test listens on, to prove that jku/x5u headers never make the service fetch. */
  trapUrl: string
}

export interface AttackCase {
  name: string
  requirement: string
  /** Builds the raw token (sent as a Bearer header or as the cookie) from the real secret. */
  token: (secret: string, user: TestUser, context: AttackContext) => string
  /** When the HTTP layer may answer before the auth layer (oversized input). */
  statuses?: number[]
}

const now = () => Math.floor(Date.now() / 1000)
const valid = (secret: string, user: TestUser) => mintAccessToken(user, { secret })
const parts = (token: string) => token.split('.') as [string, string, string]
const claims = (user: TestUser) => ({
  sub: user.id,
  username: user.username,
  name: user.name,
  iss: 'nestegg-bank',
  aud: ['nestegg-bank', 'nestegg-retirement'],
  iat: now(),
  exp: now() + 600,
  jti: 'jti-attack',
  amr: ['pwd'],
  acr: 'nestegg:pwd',
  auth_time: now()
})
/** The header the bank puts on an access token: every hand-built case starts from it. */
const at = (secret: string, extra: Record<string, unknown> = {}) => ({ typ: 'at+jwt', kid: kidForSecret(secret), ...extra })
const unsigned = (header: object, payload: unknown) => `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.`

function flipLastBits (segment: string): string {
  // base64url of 32 bytes leaves 2 unused bits in the last character: set them.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const last = segment.at(-1) ?? 'A'
  const index = alphabet.indexOf(last)
  return segment.slice(0, -1) + alphabet[(index & ~3) | 1]
}

export const attackCases: AttackCase[] = [
  {
    name: 'tampered payload (sub changed, signature kept)',
    requirement: 'RFC 8725 §3.1; ASVS 3.5.3',
    token: (secret, user) => {
      const [h, , s] = parts(valid(secret, user))
      return `${h}.${base64url(JSON.stringify({ ...claims(user), sub: 'someone-else' }))}.${s}`
    }
  },
  {
    name: 'tampered header (typ changed, signature kept)',
    requirement: 'RFC 8725 §3.11; ASVS 3.5.3',
    token: (secret, user) => {
      const [, p, s] = parts(valid(secret, user))
      return `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${p}.${s}`
    }
  },
  {
    name: 'stripped signature',
    requirement: 'RFC 8725 §3.1; ASVS 3.5.3',
    token: (secret, user) => {
      const [h, p] = parts(valid(secret, user))
      return `${h}.${p}.`
    }
  },
  ...['none', 'None', 'NONE'].flatMap((alg) => [
    {
      name: `alg ${alg} without a signature`,
      requirement: 'RFC 8725 §3.1, §2.1; ASVS 3.5.3',
      token: (secret: string, user: TestUser) => unsigned(at(secret, { alg }), claims(user))
    },
    {
      name: `alg ${alg} with a signature`,
      requirement: 'RFC 8725 §3.1; ASVS 3.5.3',
      token: (secret: string, user: TestUser) => signRaw(claims(user), secret, at(secret, { alg }))
    }
  ]),
  ...(['HS384', 'HS512'] as const).map((alg) => ({
    name: `alg switched to ${alg} (signed with the real secret)`,
    requirement: 'RFC 8725 §3.1 (one algorithm per key); ASVS 3.5.3',
    token: (secret: string, user: TestUser) => signRaw(claims(user), secret, at(secret), alg)
  })),
  ...['RS256', 'ES256', 'EdDSA', 'PS256'].map((alg) => ({
    name: `alg switched to ${alg} (the secret used as a public key)`,
    requirement: 'RFC 8725 §2.1, §3.1 (algorithm confusion); ASVS 3.5.3',
    token: (secret: string, user: TestUser) => signRaw(claims(user), secret, at(secret, { alg }))
  })),
  {
    name: 'signed with another secret',
    requirement: 'RFC 8725 §3.5; ASVS 3.5.3',
    token: (_secret, user) => mintAccessToken(user, { secret: randomSecret() })
  },
  {
    name: 'signed with an empty HMAC key',
    requirement: 'RFC 8725 §3.5; ASVS 6.4.1',
    token: (secret, user) => {
      const input = `${base64url(JSON.stringify({ alg: 'HS256', ...at(secret) }))}.${base64url(JSON.stringify(claims(user)))}`
      return `${input}.${createHmac('sha256', Buffer.alloc(0)).update(input).digest('base64url')}`
    }
  },
  {
    name: 'kid pointing at a file (path traversal)',
    requirement: 'RFC 8725 §3.10; ASVS 5.3.9',
    token: (_secret, user) => signRaw(claims(user), '', { typ: 'at+jwt', kid: '../../../../../../dev/null' })
  },
  {
    name: 'kid carrying SQL',
    requirement: 'RFC 8725 §3.10; ASVS 5.3.4',
    token: (_secret, user) => signRaw(claims(user), randomSecret(), { typ: 'at+jwt', kid: "x' UNION SELECT 'key" })
  },
  {
    name: 'jku pointing at an attacker key set',
    requirement: 'RFC 8725 §3.10; ASVS 3.5.3 (no network fetch)',
    token: (secret, user, { trapUrl }) => signRaw(claims(user), randomSecret(), at(secret, { jku: `${trapUrl}/jwks.json` }))
  },
  {
    name: 'x5u pointing at an attacker certificate',
    requirement: 'RFC 8725 §3.10; ASVS 3.5.3 (no network fetch)',
    token: (secret, user, { trapUrl }) => signRaw(claims(user), randomSecret(), at(secret, { x5u: `${trapUrl}/cert.pem` }))
  },
  {
    name: 'embedded jwk with the attacker key',
    requirement: 'RFC 8725 §3.10; ASVS 3.5.3',
    token: (secret, user) => {
      const attacker = randomSecret()
      return signRaw(claims(user), attacker, at(secret, { jwk: { kty: 'oct', k: base64url(attacker) } }))
    }
  },
  {
    name: 'crit header naming an unknown extension',
    requirement: 'RFC 7515 §4.1.11; RFC 8725 §3.1',
    token: (secret, user) => signRaw(claims(user), secret, at(secret, { crit: ['nestegg-ext'], 'nestegg-ext': true }))
  },
  {
    name: 'expired',
    requirement: 'RFC 7519 §4.1.4; ASVS 3.5.3',
    token: (secret, user) => mintAccessToken(user, { secret, iat: now() - 3600, ttlSeconds: 600 })
  },
  {
    name: 'nbf in the future',
    requirement: 'RFC 7519 §4.1.5',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { nbf: now() + 3600 } })
  },
  {
    name: 'iat in the future',
    requirement: 'RFC 7519 §4.1.6; RFC 8725 §3.10',
    token: (secret, user) => mintAccessToken(user, { secret, iat: now() + 3600 })
  },
  ...['sub', 'iss', 'aud', 'iat', 'exp', 'jti', 'username', 'name', 'amr', 'acr', 'auth_time'].map((claim) => ({
    name: `required claim ${claim} missing`,
    requirement: 'RFC 8725 §3.9; ASVS 3.5.3',
    token: (secret: string, user: TestUser) => mintAccessToken(user, { secret, claims: { [claim]: undefined } })
  })),
  {
    name: 'acr raised to passkey in the payload (signature kept)',
    requirement: 'RFC 9470 §3 (acr is only as good as its signature); ASVS 3.5.3',
    token: (secret, user) => {
      const [h, , s] = parts(valid(secret, user))
      return `${h}.${base64url(JSON.stringify({ ...claims(user), acr: 'nestegg:passkey', amr: ['hwk', 'user'] }))}.${s}`
    }
  },
  {
    name: 'acr passkey signed with another secret',
    requirement: 'RFC 9470 §3; RFC 8725 §3.5',
    token: (_secret, user) => mintAccessToken(user, { secret: randomSecret(), claims: { acr: 'nestegg:passkey', amr: ['hwk', 'user'] } })
  },
  {
    name: 'acr passkey without a signature (alg none)',
    requirement: 'RFC 9470 §3; RFC 8725 §3.1',
    token: (secret, user) => unsigned(at(secret, { alg: 'none' }), { ...claims(user), acr: 'nestegg:passkey', amr: ['hwk', 'user'] })
  },
  {
    name: 'acr of a level Nestegg does not define',
    requirement: 'OpenID Connect Core §2 (acr values are agreed); ASVS 5.1.4',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { acr: 'urn:evil:loa:4' } })
  },
  {
    name: 'amr of the wrong type (string)',
    requirement: 'RFC 8176 §1 (amr is an array of strings); ASVS 5.1.4',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { amr: 'pwd' } })
  },
  {
    name: 'amr empty',
    requirement: 'RFC 8176 §1',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { amr: [] } })
  },
  {
    name: 'auth_time after the token was issued',
    requirement: 'OpenID Connect Core §2 (auth_time is when the sign-in happened)',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { auth_time: now() + 600 } })
  },
  {
    name: 'auth_time of the wrong type (string)',
    requirement: 'RFC 7519 §2 NumericDate; ASVS 5.1.4',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { auth_time: String(now()) } })
  },
  {
    name: 'wrong issuer',
    requirement: 'RFC 8725 §3.8',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { iss: 'nestegg-evil' } })
  },
  {
    name: 'issuer is another Nestegg service (retirement cannot mint user tokens)',
    requirement: 'RFC 8725 §3.8',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { iss: 'nestegg-retirement' } })
  },
  {
    name: 'no audience for this service',
    requirement: 'RFC 8725 §3.9',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { aud: 'nestegg-elsewhere' } })
  },
  {
    name: "a token for the other service's audience only, replayed here",
    requirement: 'RFC 8725 §3.9 (audience per service); ASVS 3.5.3',
    token: (secret, user, { target }) => mintAccessToken(user, {
      secret,
      claims: { aud: target === 'bank' ? audienceOf('retirement') : ISSUER_AUDIENCE }
    })
  },
  {
    name: 'exp of the wrong type (string)',
    requirement: 'RFC 7519 §2 NumericDate; ASVS 5.1.4',
    token: (secret, user) => signRaw({ ...claims(user), exp: String(now() + 600) }, secret, at(secret))
  },
  {
    name: 'sub of the wrong type (number)',
    requirement: 'RFC 7519 §4.1.2; ASVS 5.1.4',
    token: (secret, user) => signRaw({ ...claims(user), sub: 42 }, secret, at(secret))
  },
  {
    name: 'sub of the wrong type (object)',
    requirement: 'RFC 7519 §4.1.2; ASVS 5.1.4',
    token: (secret, user) => signRaw({ ...claims(user), sub: { id: user.id } }, secret, at(secret))
  },
  ...([['array', [1, 2]], ['string', 'hello'], ['number', 42], ['null', null]] as const).flatMap(([kind, payload]) => [
    {
      name: `payload is ${kind}, signed`,
      requirement: 'RFC 7519 §7.2 (claims set is a JSON object)',
      token: (secret: string) => signRaw(payload, secret, at(secret))
    },
    {
      name: `payload is ${kind}, unsigned`,
      requirement: 'RFC 7519 §7.2; RFC 8725 §3.1',
      token: (secret: string) => unsigned(at(secret, { alg: 'none' }), payload)
    }
  ]),
  {
    name: 'payload segment is not JSON',
    requirement: 'RFC 7519 §7.2; ASVS 5.1.4',
    token: (secret) => signSegments(JSON.stringify({ alg: 'HS256', ...at(secret) }), '{"sub": "unterminated', secret)
  },
  {
    name: 'header segment is not JSON',
    requirement: 'RFC 7515 §5.2',
    token: (secret, user) => signSegments('not json at all', JSON.stringify(claims(user)), secret)
  },
  {
    name: 'payload segment is not UTF-8',
    requirement: 'RFC 7519 §7.2 (UTF-8)',
    token: (secret) => signSegments(JSON.stringify({ alg: 'HS256', ...at(secret) }), Buffer.from([0x7b, 0xff, 0xfe, 0x22, 0x7d]), secret)
  },
  {
    name: 'non-canonical base64url in the signature',
    requirement: 'RFC 7515 §2 (base64url without padding, canonical); RFC 8725 §3.1',
    token: (secret, user) => {
      const [h, p, s] = parts(valid(secret, user))
      return `${h}.${p}.${flipLastBits(s)}`
    }
  },
  {
    name: 'base64 padding in a segment',
    requirement: 'RFC 7515 §2',
    token: (secret, user) => {
      const [h, p, s] = parts(valid(secret, user))
      return `${h}=.${p}.${s}`
    }
  },
  {
    name: 'two segments',
    requirement: 'RFC 7519 §7.2',
    token: (secret, user) => parts(valid(secret, user)).slice(0, 2).join('.')
  },
  {
    name: 'four segments',
    requirement: 'RFC 7519 §7.2',
    token: (secret, user) => `${valid(secret, user)}.AAAA`
  },
  {
    name: 'five segments (a JWE shape)',
    requirement: 'RFC 7516 §9; RFC 8725 §3.11',
    token: (secret, user) => `${valid(secret, user)}.AAAA.BBBB`
  },
  {
    name: 'truncated signature',
    requirement: 'RFC 8725 §3.1',
    token: (secret, user) => valid(secret, user).slice(0, -5)
  },
  {
    name: 'oversized token (16 KiB of claims)',
    requirement: 'ASVS 13.1.3 (resource limits)',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { pad: 'x'.repeat(16 * 1024) } }),
    statuses: [401, 431]
  },
  {
    name: 'oversized header (64 KiB)',
    requirement: 'ASVS 13.1.3 (resource limits)',
    token: (secret, user) => signRaw(claims(user), secret, at(secret, { pad: 'x'.repeat(64 * 1024) })),
    statuses: [401, 431]
  },
  {
    name: '__proto__ in the payload',
    requirement: 'ASVS 5.1.4; prototype pollution (CWE-1321)',
    token: (secret, user) => signSegments(
      JSON.stringify({ alg: 'HS256', ...at(secret) }),
      JSON.stringify(claims(user)).replace(/^\{/, '{"__proto__":{"polluted":true},'),
      secret
    )
  },
  {
    name: 'NUL byte in sub',
    requirement: 'ASVS 5.1.4',
    token: (secret, user) => mintAccessToken(user, { secret, claims: { sub: `${user.id}\u0000admin` } })
  },
  {
    name: 'a service token used as an access token',
    requirement: 'RFC 8725 §3.11 (explicit typing); RFC 8693 §4.1',
    token: (secret, user) => mintServiceToken(user.id, { secret })
  },
  {
    name: 'a refresh token used as an access token',
    requirement: 'RFC 6749 §1.5 (refresh tokens go to the token endpoint only); RFC 9700 §4.14',
    token: () => createRefreshToken().token
  },
  {
    name: 'a back-channel logout token used as an access token',
    requirement: 'RFC 8725 §3.11 (explicit typing); OpenID Back-Channel Logout §2.4 (typ logout+jwt)',
    token: (secret, user) => mintLogoutToken({ sessionId: 'sid-attack', userId: user.id }, { secret })
  },
  {
    name: 'an access token without a kid',
    requirement: 'RFC 7515 §4.1.4; key rotation needs a kid on every token',
    token: (secret, user) => mintAccessToken(user, { secret, header: { kid: undefined } })
  },
  {
    name: 'an access token naming an unknown kid',
    requirement: 'RFC 7515 §4.1.4; RFC 8725 §3.10',
    token: (secret, user) => mintAccessToken(user, { secret, kid: 'retired-key' })
  },
  {
    name: 'an access token re-typed as a plain JWT',
    requirement: 'RFC 8725 §3.11; RFC 9068 §2.1',
    token: (secret, user) => mintAccessToken(user, { secret, header: { typ: 'JWT' } })
  }
]


/**
 * The control for the hand-built cases: the same claims and header with nothing wrong. A test that
 * runs the corpus checks this one is accepted, so each case fails for its own reason, not a shared one.
 */
export function controlToken (secret: string, user: TestUser): string {
  return signRaw(claims(user), secret, at(secret))
}
