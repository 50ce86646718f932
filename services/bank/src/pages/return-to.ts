/**
 * Where to send the user after login: a path on this site, or a URL on one of the allowed origins
 * (the bank's and the retirement service's). Anything else, including protocol-relative and
 * backslash tricks that a browser would resolve elsewhere, falls back to '/'. No open redirect.
 */
export function safeReturnTo (value: unknown, ownUrl: string, allowedUrls: string[]): string {
  if (typeof value !== 'string' || value === '' || value.length > 2048) return '/'
  const self = new URL(ownUrl)
  let target: URL
  try {
    // Parsed the way a browser would resolve it against this page, so '//x', '/\x' and '\t' tricks show.
    target = new URL(value, self)
  } catch {
    return '/'
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') return '/'
  const allowed = new Set([ownUrl, ...allowedUrls].map((url) => new URL(url).origin))
  if (!allowed.has(target.origin)) return '/'
  const relative = value.startsWith('/') && !/^[/\\]{2}/.test(value)
  if (relative && target.origin === self.origin) {
    const path = `${target.pathname}${target.search}${target.hash}`
    return path.startsWith('//') ? '/' : path
  }
  return target.href
}
