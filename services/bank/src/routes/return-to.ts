/**
 * Where a browser may be sent back to: a path on the bank, or a URL on the bank's or retirement's
 * origin. Anything else (another site, `//evil`, `javascript:`) falls back to the bank's home page.
 */
export function safeReturnTo (value: string | undefined, allowedOrigins: string[], fallback = '/'): string {
  if (value === undefined || value === '') return fallback
  if (value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')) return value
  try {
    const url = new URL(value)
    const origins = allowedOrigins.map((origin) => new URL(origin).origin)
    return origins.includes(url.origin) ? url.toString() : fallback
  } catch {
    return fallback
  }
}
