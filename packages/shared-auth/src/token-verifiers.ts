/// <reference types="@fastify/jwt" preserve="true" />
import fastifyJwt from '@fastify/jwt'
import type { FastifyInstance } from 'fastify'
import type { VerifierOptions } from 'fast-jwt'
import { ACCESS_TOKEN_TYP, LOGOUT_TOKEN_TYP, REQUIRED_CLAIMS, SERVICE_TOKEN_TYP } from './claims.js'
import { ISSUER_AUDIENCE, JWKS_PATH, audienceOf } from './contract.js'
import { type JwksClient, createJwksClient } from './jwks-client.js'
import { KEYS_CHANGED_TOKEN_TYP } from './keys-changed-notice.js'
import type { AuthMode, KeySet, VerifyKey } from './keys.js'

export interface TokenVerifierOptions {
  /** The party this service is: its audience. */
  name: string
  mode: AuthMode
  /** hs256: the shared key set; eddsa: this service's ownAudience Ed25519 keys. */
  keys: KeySet
  /** Where each other party is reached server-to-server (eddsa: its JWKS lives there). */
  peers: Record<string, string>
  jwks: { cacheSeconds: number, refetchCooldownSeconds: number, onError?: (error: unknown) => void }
  clockToleranceSeconds: number
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    namespaces: 'access' | 'logout' | 'service' | 'keysChanged'
  }
}

/**
 * Verification of every token kind, with kid-selected keys, through four @fastify/jwt namespaces
 * that hold public keys only: nothing registered here can sign a token.
 */
export async function registerTokenVerifiers (app: FastifyInstance, options: TokenVerifierOptions) {
  const jwksClients = new Map<string, JwksClient>()
  if (options.mode === 'eddsa') {
    for (const [party, url] of Object.entries(options.peers)) {
      jwksClients.set(audienceOf(party), createJwksClient({ url: new URL(JWKS_PATH, url).toString(), ...options.jwks }))
    }
  }
  const ownAudience = audienceOf(options.name)

  async function keyFor (issuer: unknown, kid: unknown, alg: unknown): Promise<string> {
    if (typeof issuer !== 'string' || typeof kid !== 'string') throw new Error('no key id')
    let key: VerifyKey | undefined
    if (issuer === ownAudience || (options.mode === 'hs256' && isKnown(issuer))) key = options.keys.find(kid)
    else key = await jwksClients.get(issuer)?.find(kid)
    if (key === undefined || key.alg !== alg) throw new Error('unknown key')
    return key.verifyWith
  }
  const isKnown = (issuer: string) => issuer === ownAudience || Object.keys(options.peers).some((party) => audienceOf(party) === issuer)

  const base: Partial<VerifierOptions> = {
    algorithms: [options.keys.alg],
    allowedAud: ownAudience,
    // fast-jwt counts the tolerance in milliseconds, even through @fastify/jwt.
    clockTolerance: options.clockToleranceSeconds * 1000
  }
  // Access and logout tokens come from the issuer only, whatever their payload claims.
  const fromIssuer = async ({ header }: { header: Record<string, unknown> }) => keyFor(ISSUER_AUDIENCE, header.kid, header.alg)
  // A service token is signed by the service that acts, with its ownAudience key (its kid in its ownAudience JWKS).
  const fromActingService = async ({ header, payload }: { header: Record<string, unknown>, payload: Record<string, unknown> }) =>
    keyFor(payload.iss, header.kid, header.alg)

  await app.register(fastifyJwt, {
    namespace: 'access',
    jwtVerify: 'accessJwtVerify',
    jwtDecode: 'accessJwtDecode',
    secret: { public: fromIssuer },
    verify: { ...base, allowedIss: ISSUER_AUDIENCE, requiredClaims: [...REQUIRED_CLAIMS, 'jti'], checkTyp: ACCESS_TOKEN_TYP }
  } as never)
  await app.register(fastifyJwt, {
    namespace: 'logout',
    jwtVerify: 'logoutJwtVerify',
    jwtDecode: 'logoutJwtDecode',
    secret: { public: fromIssuer },
    verify: { ...base, allowedIss: ISSUER_AUDIENCE, requiredClaims: [...REQUIRED_CLAIMS, 'jti', 'sid', 'events'], checkTyp: LOGOUT_TOKEN_TYP }
  } as never)
  await app.register(fastifyJwt, {
    namespace: 'service',
    jwtVerify: 'serviceJwtVerify',
    jwtDecode: 'serviceJwtDecode',
    secret: { public: fromActingService },
    verify: { ...base, requiredClaims: [...REQUIRED_CLAIMS, 'scope', 'act', 'jti'], checkTyp: SERVICE_TOKEN_TYP }
  } as never)
  await app.register(fastifyJwt, {
    namespace: 'keysChanged',
    jwtVerify: 'keysChangedJwtVerify',
    jwtDecode: 'keysChangedJwtDecode',
    secret: { public: fromIssuer },
    verify: { ...base, allowedIss: ISSUER_AUDIENCE, requiredClaims: [...REQUIRED_CLAIMS, 'jti', 'events'], checkTyp: KEYS_CHANGED_TOKEN_TYP }
  } as never)
  const jwt = app.jwt

  // The keys the issuer's tokens are checked with: this service's own set (hs256, or the bank
  // itself), or the bank's JWKS (eddsa).
  const issuerJwks = ownAudience === ISSUER_AUDIENCE ? undefined : jwksClients.get(ISSUER_AUDIENCE)
  return {
    /** eddsa: fetches the issuer's JWKS now (see refreshNow for `unlimited`); answers false if nothing was fetched. */
    refreshIssuerKeys: async (unlimited = false): Promise<boolean> => issuerJwks === undefined ? true : issuerJwks.refreshNow(unlimited),
    /** A token of the issuer's with this kid can be verified here, from what is known now (no fetch). */
    issuerKeyKnown: (kid: string): boolean => issuerJwks === undefined ? options.keys.find(kid) !== undefined : issuerJwks.has(kid),
    verifyAccess: async (token: string, allowExpired = false): Promise<unknown> =>
      allowExpired ? jwt.access.verify(token, { ignoreExpiration: true }) : jwt.access.verify(token),
    verifyLogout: async (token: string): Promise<unknown> => jwt.logout.verify(token),
    verifyService: async (token: string): Promise<unknown> => jwt.service.verify(token),
    verifyKeysChanged: async (token: string): Promise<unknown> => jwt.keysChanged.verify(token)
  }
}

export type TokenVerifiers = Awaited<ReturnType<typeof registerTokenVerifiers>>
