import type { ErrorBody } from '@nestegg/platform'
import type { FastifyReply, FastifyRequest } from 'fastify'

interface ErrorText {
  heading: string
  message: string
}

/**
 * What a person reads when something fails: a sentence, never a schema path, a pattern or a route.
 * Domain errors (insufficient funds, plan not found) already speak to people and keep their message.
 */
export function errorText (error: ErrorBody): ErrorText {
  if (error.statusCode >= 500) {
    return { heading: 'Something went wrong', message: 'Something went wrong on our side. Please try again in a moment.' }
  }
  if (error.statusCode === 404 && error.code === 'NOT_FOUND') {
    return { heading: 'Page not found', message: 'There is no page at this address. The link may be mistyped, or the page may have moved.' }
  }
  if (error.code.includes('CSRF')) {
    return { heading: 'That did not work', message: 'This form has expired or did not come from this site. Go back, reload the page and try again.' }
  }
  // Fastify's own codes (validation, content type, body size): their messages name fields and rules.
  if (error.code.startsWith('FST_') || error.code === 'INVALID_TEXT') {
    return { heading: 'That did not work', message: 'Something in what was sent was not as expected. Go back, check what you entered and try again.' }
  }
  return { heading: error.statusCode === 404 ? 'Not found' : 'That did not work', message: error.message }
}

function wantsPage (request: FastifyRequest): boolean {
  if (request.routeOptions.config?.page === true) return true
  // No route matched: a browser asking for a page gets a page (the APIs keep JSON).
  return request.routeOptions.url === undefined &&
    !request.url.startsWith('/api/') && !request.url.startsWith('/internal/') &&
    (request.headers.accept ?? '').includes('text/html')
}

/**
 * The platform error handler's hook: page requests get an HTML error page, in the layout with its
 * navigation when the visitor is signed in (a 404 has run no page guard, so it asks shared-auth).
 */
export async function renderErrorPage (error: ErrorBody, request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  if (!wantsPage(request) || typeof reply.page !== 'function') return false
  const holder = request as unknown as { user?: unknown }
  if (holder.user === undefined || holder.user === null) {
    holder.user = await request.server.verifyUserRequest(request).catch(() => undefined)
  }
  const text = errorText(error)
  reply.code(error.statusCode)
  await reply.page('kit:error', { title: text.heading, ...text, statusCode: error.statusCode })
  return true
}
