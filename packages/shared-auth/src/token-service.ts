import { randomUUID } from 'node:crypto'
/// <reference types="@fastify/jwt" preserve="true" />
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import type { VerifierOptions } from 'fast-jwt'
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


declare module '@fastify/jwt' {
  interface FastifyJWT {
    namespaces: 'access' | 'logout' | 'service'
  }
}

/**
 * Signing and verification of every token kind, with kid-selected keys, through three @fastify/jwt
 * namespaces (access, logout, service) that share one key lookup. The only code that knows
 * algorithms and keys; plugin.ts wires it into requests.
 */
export async function createTokenService (app: FastifyInstance, options: TokenServiceOptions) {
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
    // fast-jwt counts the tolerance in milliseconds, even through @fastify/jwt.
    clockTolerance: options.clockToleranceSeconds * 1000
  }
  // Access and logout tokens come from the bank only, whatever their payload claims.
  const fromBank = async ({ header }: { header: Record<string, unknown> }) => keyFor('bank', header.kid, header.alg)
  // A service token is signed by the service that acts, with its own key (its kid in its own JWKS).
  const fromActingService = async ({ header, payload }: { header: Record<string, unknown>, payload: Record<string, unknown> }) =>
    keyFor(partyOf(payload.iss), header.kid, header.alg)
  const signerBase = { algorithm: signing.alg, kid: signing.kid } as const
  const typed = (typ: string) => ({ header: { alg: signing.alg, typ } })

  // @fastify/jwt reads a numeric expiresIn as seconds; clockTolerance (a fast-jwt option) stays in ms.
  await app.register(fastifyJwt, {
    namespace: 'access',
    jwtVerify: 'accessJwtVerify',
    jwtSign: 'accessJwtSign',
    jwtDecode: 'accessJwtDecode',
    secret: { private: signing.signWith, public: fromBank },
    sign: { ...signerBase, iss: PARTIES.bank, aud: Object.values(PARTIES), expiresIn: options.accessTokenTtlSeconds, ...typed(ACCESS_TOKEN_TYP) },
    verify: { ...base, errorCacheTTL: 0, allowedIss: PARTIES.bank, requiredClaims: [...REQUIRED_CLAIMS, 'jti'], checkTyp: ACCESS_TOKEN_TYP }
  } as never)
  await app.register(fastifyJwt, {
    namespace: 'logout',
    jwtVerify: 'logoutJwtVerify',
    jwtSign: 'logoutJwtSign',
    jwtDecode: 'logoutJwtDecode',
    secret: { private: signing.signWith, public: fromBank },
    sign: { ...signerBase, iss: PARTIES.bank, expiresIn: LOGOUT_TOKEN_TTL_SECONDS, ...typed(LOGOUT_TOKEN_TYP) },
    verify: { ...base, errorCacheTTL: 0, allowedIss: PARTIES.bank, requiredClaims: [...REQUIRED_CLAIMS, 'jti', 'sid', 'events'], checkTyp: LOGOUT_TOKEN_TYP }
  } as never)
  await app.register(fastifyJwt, {
    namespace: 'service',
    jwtVerify: 'serviceJwtVerify',
    jwtSign: 'serviceJwtSign',
    jwtDecode: 'serviceJwtDecode',
    secret: { private: signing.signWith, public: fromActingService },
    sign: { ...signerBase, iss: own, ...typed(SERVICE_TOKEN_TYP) },
    verify: { ...base, errorCacheTTL: 0, requiredClaims: [...REQUIRED_CLAIMS, 'scope', 'act', 'jti'], checkTyp: SERVICE_TOKEN_TYP }
  } as never)
  const jwt = app.jwt

  return {
    verifyAccess: async (token: string, allowExpired = false): Promise<unknown> =>
      allowExpired ? jwt.access.verify(token, { ignoreExpiration: true }) : jwt.access.verify(token),
    verifyLogout: async (token: string): Promise<unknown> => jwt.logout.verify(token),
    verifyService: async (token: string): Promise<unknown> => jwt.service.verify(token),
    // Options given per call make @fastify/jwt build a new signer (and parse the key again): only a
    // token shorter than the usual lifetime, a session's last, pays for that.
    signAccess: (claims: Record<string, unknown>, ttlSeconds: number): string => ttlSeconds < options.accessTokenTtlSeconds
      ? jwt.access.sign({ ...claims, jti: randomUUID() }, { expiresIn: ttlSeconds })
      : jwt.access.sign({ ...claims, jti: randomUUID() }),
    signService: (claims: Record<string, unknown>, audience: ServiceName, ttlSeconds: number): string =>
      jwt.service.sign({ ...claims, jti: randomUUID() }, { aud: PARTIES[audience], expiresIn: ttlSeconds }),
    signLogout: (sessionId: string, userId: string, audience: ServiceName): string =>
      jwt.logout.sign({ sub: userId, sid: sessionId, jti: randomUUID(), events: { [BACKCHANNEL_LOGOUT_EVENT]: {} } }, { aud: PARTIES[audience] }),
    publicJwks: () => options.keys.publicJwks(),
    jwksClients
  }
}

export type TokenService = Awaited<ReturnType<typeof createTokenService>>
