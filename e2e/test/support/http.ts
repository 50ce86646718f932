import { markRequest, markResponse } from './leaks.js'

export const PASSWORD = 'correct horse battery staple'

export interface JsonResponse<T = any> {
  status: number
  body: T
  headers: Headers
  setCookies: string[]
}

export async function request<T = any> (url: string, init: RequestInit & { json?: unknown } = {}): Promise<JsonResponse<T>> {
  const headers = new Headers(init.headers)
  let body = init.body
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json')
    body = JSON.stringify(init.json)
  }
  markRequest(headers, init.json)
  const response = await fetch(url, { ...init, headers, body, redirect: 'manual' })
  const text = await response.text()
  let parsed: unknown = text
  try { parsed = text === '' ? null : JSON.parse(text) } catch {}
  const setCookies = response.headers.getSetCookie()
  markResponse(parsed, setCookies)
  return { status: response.status, body: parsed as T, headers: response.headers, setCookies }
}

/** The cookie pair (name=value) a browser would send back, from a Set-Cookie list. */
export function cookieFrom (setCookies: string[], name: string): string | undefined {
  const line = setCookies.find((cookie) => cookie.startsWith(`${name}=`))
  return line?.split(';')[0]
}

export interface LoggedIn {
  token: string
  /** The access cookie as a browser sends it back (name=value). */
  cookie: string
  /** The refresh cookie (name=value), sent by a browser to /api/auth/refresh only. */
  refreshCookie: string
  id: string
}

export async function signupAndLogin (bankUrl: string, username: string): Promise<LoggedIn> {
  const signup = await request(`${bankUrl}/api/auth/signup`, { method: 'POST', json: { username, password: PASSWORD, name: `${username} E2E` } })
  if (signup.status !== 201) throw new Error(`signup ${signup.status}: ${JSON.stringify(signup.body)}`)
  const login = await request(`${bankUrl}/api/auth/login`, { method: 'POST', json: { username, password: PASSWORD } })
  if (login.status !== 200) throw new Error(`login ${login.status}: ${JSON.stringify(login.body)}`)
  const cookie = cookieFrom(login.setCookies, 'nestegg_access')
  const refreshCookie = cookieFrom(login.setCookies, 'nestegg_refresh')
  if (!cookie || !refreshCookie) throw new Error('login set no access or refresh cookie')
  return { token: login.body.accessToken, cookie, refreshCookie, id: signup.body.id }
}
