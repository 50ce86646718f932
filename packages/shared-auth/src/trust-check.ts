import { fetchWithTimeout } from '@nestegg/platform'
import type { FastifyBaseLogger } from 'fastify'
import { ISSUER_AUDIENCE } from './contract.js'
import { type IssuerMetadata, ISSUER_METADATA_PATH, checkIssuerMetadata } from './issuer-metadata.js'
import type { AuthMode } from './keys.js'
import { createProblemLog } from './problem-log.js'

export interface TrustCheckOptions {
  /** Where this party reaches the bank, and the setting that says so (BANK_INTERNAL_URL or BANK_URL). */
  bankUrl: string
  bankSetting: string
  mode: AuthMode
  /** The setting this party's keys come from (JWT_SECRETS, JWT_KEYS_FILE, JWT_SECRET…). */
  keySetting: string
  /** eddsa: refetch the bank's JWKS now; then is this kid one the bank's tokens can be checked with here (no fetch)? */
  refreshIssuerKeys: () => Promise<boolean>
  issuerKeyKnown: (kid: string) => boolean
  /** The bank no longer lists these kids (the JWKS is fresh by then): drop what was accepted under them. */
  onKidsWithdrawn: (kids: string[]) => void
  log: FastifyBaseLogger
  timeoutMs?: number
}

/** What is wrong with this party's setup against the bank's metadata, naming the setting to change; undefined if nothing. */
export function diagnoseTrust (metadata: IssuerMetadata, options: Pick<TrustCheckOptions, 'bankUrl' | 'bankSetting' | 'mode' | 'keySetting' | 'issuerKeyKnown'>): string | undefined {
  if (metadata.issuer !== ISSUER_AUDIENCE) {
    return `the service at ${options.bankUrl} is "${metadata.issuer}", not the bank (${ISSUER_AUDIENCE}): point ${options.bankSetting} at the bank`
  }
  if (metadata.mode !== options.mode) {
    return `the bank runs AUTH_MODE=${metadata.mode} but this service runs AUTH_MODE=${options.mode}: set AUTH_MODE=${metadata.mode} here (every service must use the same mode)`
  }
  if (!options.issuerKeyKnown(metadata.signing_kid)) {
    return options.mode === 'hs256'
      ? `the bank signs with key "${metadata.signing_kid}", which this service does not hold: add it to ${options.keySetting} here (a rotation gives every party the new key before the bank signs with it; docs/security.md)`
      : `the bank signs with key "${metadata.signing_kid}", which its JWKS does not publish: every copy of the bank needs the same JWT_KEYS_FILE`
  }
  return undefined
}

/**
 * The relying party's check of its trust in the bank, at start-up, on every catch-up attempt,
 * now and then, and on a keys-changed notice. A mismatch is remembered for /readyz and logged once
 * at error level (again only when the cause changes); a bank that does not answer is no mismatch.
 */
export function createTrustCheck (options: TrustCheckOptions) {
  const url = new URL(ISSUER_METADATA_PATH, options.bankUrl).toString()
  const trustProblem = createProblemLog<'bank'>(options.log)
  let knownKids: Set<string> | undefined

  async function fetchMetadata (): Promise<IssuerMetadata | undefined> {
    try {
      const response = await fetchWithTimeout(url, { headers: { accept: 'application/json' }, timeoutMs: options.timeoutMs ?? 3000 })
      const body: unknown = response.ok ? await response.json() : (await response.body?.cancel(), undefined)
      if (checkIssuerMetadata.Check(body)) return body
      options.log.debug({ status: response.status }, 'the bank gave no issuer metadata; checking again later')
    } catch (error) {
      options.log.debug({ err: (error as Error).message }, 'the bank did not answer the issuer metadata; checking again later')
    }
    return undefined
  }

  function settle (problem: string | undefined): void {
    if (problem === undefined) trustProblem.clear('bank', {}, 'trust in the bank restored: its mode and signing key match this service')
    else trustProblem.raise('bank', problem, { cause: problem }, `this service cannot trust the bank's tokens: ${problem}`)
  }

  return {
    /**
     * Answers 'unreachable' when the bank gave no metadata (the problem known so far stands).
     * `keysFresh`: the caller has just fetched the bank's JWKS (a keys-changed notice), so none is fetched here.
     */
    async check ({ keysFresh = false }: { keysFresh?: boolean } = {}): Promise<'ok' | 'mismatch' | 'unreachable'> {
      const metadata = await fetchMetadata()
      if (metadata === undefined) return 'unreachable'
      const withdrawn = knownKids === undefined ? [] : [...knownKids].filter((kid) => !metadata.kids.includes(kid))
      knownKids = new Set(metadata.kids)
      // A JWKS fetch only when something changed: a signing kid not known here, or a kid gone.
      const stale = !options.issuerKeyKnown(metadata.signing_kid) || withdrawn.length > 0
      if (metadata.mode === 'eddsa' && options.mode === 'eddsa' && stale && !keysFresh) {
        // A JWKS that cannot be fetched is the bank out of reach, not a mismatch.
        if (!(await options.refreshIssuerKeys()) && !options.issuerKeyKnown(metadata.signing_kid)) return 'unreachable'
      }
      if (withdrawn.length > 0) options.onKidsWithdrawn(withdrawn)
      settle(diagnoseTrust(metadata, options))
      return trustProblem.has('bank') ? 'mismatch' : 'ok'
    },
    /** The mismatch found last, for /readyz. */
    problems: trustProblem.problems
  }
}

export type TrustCheck = ReturnType<typeof createTrustCheck>
