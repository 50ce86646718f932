import { accessCookie, mintAccessToken, type TestUser } from '@nestegg/shared-auth/testing'
import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** A browser of one user: the bank's access cookie, plus whatever cookies retirement sets. */
export function browserFor (app: FastifyInstance, secret: string, user: TestUser, origin = 'http://localhost:3001') {
  const cookies = new Map<string, string>([['nestegg_access', accessCookie(mintAccessToken(user, { secret })).split('=')[1] ?? '']])
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ')
  const remember = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies) cookies.set(cookie.name, cookie.value)
    return response
  }
  return {
    async get (url: string) {
      return remember(await app.inject({ url, headers: { cookie: cookieHeader(), accept: 'text/html' } }))
    },
    async post (url: string, form: Record<string, string>) {
      return remember(await app.inject({
        method: 'POST',
        url,
        headers: { cookie: cookieHeader(), origin, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
        payload: new URLSearchParams(form).toString()
      }))
    }
  }
}

export function hiddenField (html: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]+)"`).exec(html)
  if (match === null) throw new Error(`no hidden field ${name}`)
  return match[1] as string
}
