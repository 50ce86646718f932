import type { FastifyInstance } from 'fastify'
import { ErrorResponse } from './contract.js'
import { AuthInvalidTokenError } from './errors.js'
import { KEYS_CHANGED_EVENT, KEYS_CHANGED_PATH, KeysChangedBody, checkKeysChangedClaims } from './keys-changed-notice.js'
import { hasDangerousKeys, isCanonicalCompactJws } from './token-shape.js'

export interface KeysChangedRouteOptions {
  /** eddsa: fetch the bank's JWKS now (bounded to one fetch a second, whoever asks); answers whether it fetched. */
  refreshIssuerKeys: () => Promise<boolean>
  verify: (token: string) => Promise<unknown>
  rejectFutureIat: (iat: number) => void
  /**
   * The bank withdrew these kids: forget what was accepted under them, check the setup again.
   * `keysFetched`: the JWKS fetched for this notice is the fresh one it asks for (no second fetch).
   */
  onWithdrawn: (kids: string[], keysFetched: boolean) => Promise<void>
}

/**
 * The relying party's end of an emergency key withdrawal. The bank's keys are fetched first: the
 * notice is signed with the key the bank signs with now, which this party may not know yet, and a
 * fresh JWKS is what the notice asks for anyway. A token problem is a 401, as for a logout notice.
 */
export function registerKeysChangedRoute (scope: FastifyInstance, options: KeysChangedRouteOptions): void {
  scope.post(KEYS_CHANGED_PATH, {
    schema: {
      hide: true,
      body: KeysChangedBody,
      response: { 200: { type: 'object', additionalProperties: false }, 400: ErrorResponse, 401: ErrorResponse }
    } as never
  }, async (request) => {
    const token = (request.body as { notice_token: string }).notice_token
    if (!isCanonicalCompactJws(token)) throw new AuthInvalidTokenError()
    const keysFetched = await options.refreshIssuerKeys()
    let payload: unknown
    try {
      payload = await options.verify(token)
    } catch {
      throw new AuthInvalidTokenError()
    }
    if (!checkKeysChangedClaims.Check(payload) || hasDangerousKeys(payload)) throw new AuthInvalidTokenError()
    options.rejectFutureIat(payload.iat)
    const withdrawn = payload.events[KEYS_CHANGED_EVENT].withdrawn
    await options.onWithdrawn(withdrawn, keysFetched)
    request.log.warn({ withdrawn }, 'the bank withdrew signing keys: tokens signed with them are refused here from now on')
    return {}
  })
}
