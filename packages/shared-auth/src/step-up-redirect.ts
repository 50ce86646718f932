import type { FastifyReply } from 'fastify'
import { type StepUpRequirement, isStepUpRequired, stepUpPageUrl } from './step-up.js'

/** Where a page sends the browser for a step-up, and where the bank sends it back. */
export interface StepUpReturn {
  /** The bank's public URL; '' on the bank's own pages (the redirect stays on its site). */
  bankUrl: string
  /** This service's public URL, so the bank can send the browser back; '' on the bank's own pages. */
  siteUrl: string
  /** The page to come back to: a path of this site, such as '/contribute'. */
  path: string
  /** The form as typed, back in the return address's query (nothing secret: it crosses the bank). */
  draft?: Record<string, string> | undefined
}

const PROBE = new URL('http://site.invalid/')

/**
 * The return address: `siteUrl` plus a path of this site. Anything a browser would resolve to
 * another site ('//evil', '/\evil', 'https://evil', 'javascript:') becomes '/', as the bank's
 * step-up page itself does with an address it will not follow.
 */
export function stepUpReturnTo (back: Omit<StepUpReturn, 'bankUrl'>): string {
  let target: URL | undefined
  try {
    target = new URL(back.path, PROBE)
  } catch {
    target = undefined
  }
  // Both the path as given and as normalised: '/.//evil' passes the first and resolves to '//evil'.
  const ownPath = target !== undefined && target.origin === PROBE.origin &&
    /^\/(?![/\\])/.test(back.path) && /^\/(?![/\\])/.test(target.pathname)
  const url = ownPath ? target as URL : new URL('/', PROBE)
  for (const [name, value] of Object.entries(back.draft ?? {})) url.searchParams.append(name, value)
  return `${back.siteUrl.replace(/\/+$/, '')}${url.pathname}${url.search}`
}

/** The 303 to the bank's step-up page for this requirement, coming back to `back` once it is met. */
export function stepUpRedirect (reply: FastifyReply, requirement: StepUpRequirement, back: StepUpReturn): FastifyReply {
  return reply.redirect(stepUpPageUrl(back.bankUrl, requirement, stepUpReturnTo(back)), 303)
}

/**
 * For a page: runs a step-up check (one that throws the step-up error, such as `checkStepUp`). Not
 * met: answers the redirect and says true (the page returns the reply). Met: false, and the page goes
 * on. Any other error is thrown. A boolean, not the reply: a reply is thenable, and awaiting it waits
 * for the response to be sent and gives undefined.
 */
export async function redirectedToStepUp (reply: FastifyReply, check: () => unknown, back: StepUpReturn): Promise<boolean> {
  try {
    await check()
    return false
  } catch (error) {
    if (!isStepUpRequired(error)) throw error
    stepUpRedirect(reply, error.requirement, back)
    return true
  }
}
