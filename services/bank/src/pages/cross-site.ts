import type { FastifyRequest } from 'fastify'

/**
 * True when the browser says the request comes from another site: `Sec-Fetch-Site: cross-site`
 * (every current browser sends it, redirect chains included), or an Origin (or, for a browser that
 * sends no Sec-Fetch-Site, a Referer) outside the bank's and retirement's origins. An opaque
 * `Origin: null` counts as another site. A request that names no site at all (curl, an API client,
 * a typed-in address) is not cross-site.
 */
export function isCrossSite (request: FastifyRequest, allowedOrigins: ReadonlySet<string>): boolean {
  const site = request.headers['sec-fetch-site']
  if (site === 'cross-site') return true
  const origin = request.headers.origin
  if (typeof origin === 'string') return origin === 'null' || !allowedOrigins.has(origin)
  const referer = request.headers.referer
  if (site === undefined && typeof referer === 'string') {
    try {
      return !allowedOrigins.has(new URL(referer).origin)
    } catch {
      return true
    }
  }
  return false
}
