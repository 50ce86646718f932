import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { ISSUER_AUDIENCE, JWKS_PATH } from './contract.js'
import type { AuthMode, KeySet } from './keys.js'

/**
 * What a relying party needs to check its own setup against the bank's: the mode, the issuer's
 * name and the kids it signs with. Public: kids are on every token already, and an hs256 kid
 * derived from a secret reveals nothing usable of it (keys.ts).
 */
export const ISSUER_METADATA_PATH = '/.well-known/nestegg-issuer'

export const IssuerMetadata = Type.Object({
  issuer: Type.String(),
  mode: Type.Union([Type.Literal('hs256'), Type.Literal('eddsa')]),
  /** The kid of the key that signs every token issued now. */
  signing_kid: Type.String(),
  /** Every kid the issuer holds (hs256: the shared set; eddsa: its JWKS). */
  kids: Type.Array(Type.String(), { maxItems: 64 }),
  /** eddsa: where the public keys are (the parties fetch them from the bank's internal URL). */
  jwks_uri: Type.Optional(Type.String())
}, { additionalProperties: false })
export type IssuerMetadata = Static<typeof IssuerMetadata>
export const checkIssuerMetadata = Compile(IssuerMetadata)

/** The issuer's metadata route; it reads the key set on every request, so a key reload shows at once. */
export function registerIssuerMetadata (app: FastifyInstance, options: { mode: AuthMode, keys: KeySet, publicUrl: string }): void {
  const jwksUri = options.publicUrl === '' ? JWKS_PATH : new URL(JWKS_PATH, options.publicUrl).toString()
  app.get(ISSUER_METADATA_PATH, { schema: { hide: true, response: { 200: IssuerMetadata } } as never }, async (): Promise<IssuerMetadata> => ({
    issuer: ISSUER_AUDIENCE,
    mode: options.mode,
    signing_kid: options.keys.signing.kid,
    kids: options.keys.kids,
    ...(options.mode === 'eddsa' ? { jwks_uri: jwksUri } : {})
  }))
}
