import { randomUUID } from 'node:crypto'
import { createSigner, createVerifier, type VerifierOptions } from 'fast-jwt'
import {
  ACCESS_TOKEN_TYP,
  BACKCHANNEL_LOGOUT_EVENT,
  LOGOUT_TOKEN_TTL_SECONDS,
  LOGOUT_TOKEN_TYP,
  PARTIES,
  REQUIRED_CLAIMS,
  SERVICE_TOKEN_TYP,
  type ServiceName
} from './claims.js'
import { type JwksClient, createJwksClient } from './jwks-client.js'
import type { AuthMode, KeySet, VerifyKey } from './keys.js'

export interface TokenServiceOptions {
  service: ServiceName
  mode: AuthMode
  /** hs256: the shared key set; eddsa: this service's own Ed25519 keys. */
  keys: KeySet
  /** eddsa: where each other party publishes its public keys. */
  peers: Partial<Record<ServiceName, string>>
  jwks: { cacheSeconds: number, refetchCooldownSeconds: number, now?: () => number, onError?: (error: unknown) => void }
  accessTokenTtlSeconds: number
  clockToleranceSeconds: number
}

const partyOf = (issuer: unknown): ServiceName | undefined =>
  (Object.keys(PARTIES) as ServiceName[]).find((name) => PARTIES[name] === issuer)

/**
 * The access verifier remembers the tokens it accepted (up to 10 000, keyed by a hash of the token,
 * each until its own expiry and at most a minute, so a key withdrawn from a JWKS stops verifying
 * within a minute): a signed-in user's next requests skip decoding, the key lookup and the HMAC,
 * which were most of the cost of an authenticated GET (docs/benchmarks.md). Failures are never
 * remembered; fast-jwt would otherwise keep them for the clock tolerance, and a token refused for a
 * key not yet published must be tried again. Revocation is checked after verification, every time.
 */
const ACCEPTED_TOKEN_CACHE = { cache: 10_000, cacheTTL: 60_000, errorCacheTTL: () => Number.NEGATIVE_INFINITY }

/**
 * Signing and verification of every token kind, with kid-selected keys. The only code that knows
 * algorithms and keys; plugin.ts wires it into Fastify.
 */
export function createTokenService (options: TokenServiceOptions) {
  const own = PARTIES[options.service]
  const signing = options.keys.signing
  const jwksClients: Partial<Record<ServiceName, JwksClient>> = {}
  if (options.mode === 'eddsa') {
    for (const [party, url] of Object.entries(options.peers) as Array<[ServiceName, string]>) {
      jwksClients[party] = createJwksClient({ url, ...options.jwks })
    }
  }

  async function keyFor (party: ServiceName | undefined, kid: unknown, alg: unknown): Promise<string> {
    if (party === undefined || typeof kid !== 'string') throw new Error('no key id')
    let key: VerifyKey | undefined
    if (options.mode === 'hs256' || party === options.service) key = options.keys.find(kid)
    else key = await jwksClients[party]?.find(kid)
    if (key === undefined || key.alg !== alg) throw new Error('unknown key')
    return key.verifyWith
  }

  const base: Partial<VerifierOptions> = {
    algorithms: [options.keys.alg],
    allowedAud: own,
    // fast-jwt counts the tolerance in milliseconds.
    clockTolerance: options.clockToleranceSeconds * 1000
  }
  // Access and logout tokens come from the bank only, whatever their payload claims.
  const fromBank = async ({ header }: { header: Record<string, unknown> }) => keyFor('bank', header.kid, header.alg)
  const accessVerifierOptions = {
    ...base,
    key: fromBank,
    allowedIss: PARTIES.bank,
    requiredClaims: [...REQUIRED_CLAIMS, 'jti'],
    checkTyp: ACCESS_TOKEN_TYP
  }
  const verifyAccess = createVerifier({ ...accessVerifierOptions, ...ACCEPTED_TOKEN_CACHE })
  const verifyAccessIgnoringExpiry = createVerifier({ ...accessVerifierOptions, ignoreExpiration: true })
  const verifyLogout = createVerifier({
    ...base,
    key: fromBank,
    allowedIss: PARTIES.bank,
    requiredClaims: [...REQUIRED_CLAIMS, 'jti', 'sid', 'events'],
    checkTyp: LOGOUT_TOKEN_TYP
  })
  // A service token is signed by the service that acts, with its own key (its kid in its own JWKS).
  const verifyService = createVerifier({
    ...base,
    key: async ({ header, payload }: { header: Record<string, unknown>, payload: Record<string, unknown> }) =>
      keyFor(partyOf(payload.iss), header.kid, header.alg),
    requiredClaims: [...REQUIRED_CLAIMS, 'scope', 'act', 'jti'],
    checkTyp: SERVICE_TOKEN_TYP
  })

  const signerBase = { key: signing.signWith, algorithm: signing.alg, kid: signing.kid } as const
  const signAccess = createSigner({
    ...signerBase,
    iss: PARTIES.bank,
    aud: Object.values(PARTIES),
    expiresIn: options.accessTokenTtlSeconds * 1000,
    header: { alg: signing.alg, typ: ACCESS_TOKEN_TYP }
  })
  const signLogout = createSigner({
    ...signerBase,
    iss: PARTIES.bank,
    expiresIn: LOGOUT_TOKEN_TTL_SECONDS * 1000,
    header: { alg: signing.alg, typ: LOGOUT_TOKEN_TYP }
  })

  return {
    verifyAccess: (token: string, allowExpired = false): Promise<unknown> =>
      allowExpired ? verifyAccessIgnoringExpiry(token) : verifyAccess(token),
    verifyLogout: (token: string): Promise<unknown> => verifyLogout(token),
    verifyService: (token: string): Promise<unknown> => verifyService(token),
    signAccess: (claims: Record<string, unknown>): string => signAccess({ ...claims, jti: randomUUID() }),
    signService: (claims: Record<string, unknown>, audience: ServiceName, ttlSeconds: number): string =>
      createSigner({ ...signerBase, iss: own, aud: PARTIES[audience], expiresIn: ttlSeconds * 1000, header: { alg: signing.alg, typ: SERVICE_TOKEN_TYP } })({ ...claims, jti: randomUUID() }),
    signLogout: (sessionId: string, userId: string, audience: ServiceName): string =>
      signLogout({ sub: userId, sid: sessionId, aud: PARTIES[audience], jti: randomUUID(), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }),
    publicJwks: () => options.keys.publicJwks(),
    jwksClients
  }
}

export type TokenService = ReturnType<typeof createTokenService>
