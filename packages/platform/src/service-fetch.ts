/**
 * A call to another service: it gives up after `timeoutMs` (a slow answer counts as no answer) and
 * never follows a redirect, so a request signed for one address cannot be sent on to another.
 */
export async function fetchWithTimeout (url: string | URL, init: RequestInit & { timeoutMs: number, fetch?: typeof fetch }): Promise<Response> {
  const { timeoutMs, fetch: doFetch = fetch, ...rest } = init
  return doFetch(url, { ...rest, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
}
