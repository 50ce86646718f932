/**
 * A credential that arrives where none belongs (a token in a query string, a path, or inside an
 * encoded `return_to`) must not reach a log line just because the URL is logged. Every credential
 * Nestegg knows is at least 32 characters without a URL separator (a JWT, a 43-character refresh
 * token, a secret of 32 bytes or more), while ids are UUIDs or shorter: so any such run that is not
 * a UUID is written as `[redacted]`. An encoded URL (`return_to=http%3A%2F%2F…`) is one run.
 */
const LONG_RUN = /[^/?&=;#,]{32,}/g
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

export function censorUrl<T> (url: T, censor = '[redacted]'): T | string {
  if (typeof url !== 'string' || url.length < 32) return url
  return url.replace(LONG_RUN, (run) => UUID.test(run) ? run : censor)
}

/**
 * The request id a caller sent in `x-request-id`, when it is safe to log and pass on: a UUID, or
 * up to 31 characters of letters, digits and `._:-`. Anything longer could be a credential (a
 * token sent in the wrong header), so it is replaced by a fresh id instead of being logged.
 */
export function acceptableRequestId (value: unknown): value is string {
  return typeof value === 'string' && (UUID.test(value) || /^[A-Za-z0-9._:-]{1,31}$/.test(value))
}
