import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { PASSWORD } from './helper.js'

/**
 * A browser in miniature for page tests: keeps cookies, reads the CSRF token out of the last page's
 * forms, and posts forms with the Origin a browser would send.
 */
export function pageClient (app: FastifyInstance, origin = 'http://localhost:3000') {
  const jar = new Map<string, string>()
  let lastCsrf = ''
  const remember = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() <= Date.now())) jar.delete(cookie.name)
      else jar.set(cookie.name, cookie.value)
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(response.body)
    if (token) lastCsrf = token[1] as string
    return response
  }
  return {
    jar,
    async get (url: string) {
      return remember(await app.inject({ url, cookies: Object.fromEntries(jar), headers: { accept: 'text/html' } }))
    },
    /** Posts a form as the browser would after loading the page that holds it. */
    async post (url: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
      return remember(await app.inject({
        method: 'POST',
        url,
        cookies: Object.fromEntries(jar),
        headers: { origin, accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', ...headers },
        payload: new URLSearchParams({ _csrf: lastCsrf, ...fields }).toString()
      }))
    },
    /** A hidden field's value on a page. */
    hidden (page: LightMyRequestResponse, name: string): string {
      return new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)?.[1] ?? ''
    }
  }
}

/** A page client signed in through the login page as `username`, who already has an account. */
export async function signedInPages (app: FastifyInstance, username: string) {
  const browser = pageClient(app)
  await browser.get('/login')
  const response = await browser.post('/login', { username, password: PASSWORD })
  if (response.statusCode !== 303) throw new Error(`page login as ${username}: ${response.statusCode} ${response.body}`)
  return browser
}
