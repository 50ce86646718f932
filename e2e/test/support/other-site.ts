import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Test } from 'tap'
import { freePort } from '@nestegg/platform/testing'

/** The other site's host name; Chromium resolves it to 127.0.0.1 (nothing leaves the machine). */
export const OTHER_HOST = 'evil.test'
export const OTHER_SITE_ARGS = [`--host-resolver-rules=MAP ${OTHER_HOST} 127.0.0.1`]

export type Enctype = 'application/x-www-form-urlencoded' | 'text/plain' | 'multipart/form-data'

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/**
 * Another site, on its own host name: `/post?action=&enctype=&fields=` is a page with one form that
 * posts those fields to `action` (a button to click), `/link?href=` a page with one link.
 */
export async function startOtherSite (t: Test): Promise<{ url: string }> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x')
    const param = (name: string) => escape(url.searchParams.get(name) ?? '')
    let body = '<p>nothing here</p>'
    if (url.pathname === '/post') {
      const fields = Object.entries(JSON.parse(url.searchParams.get('fields') ?? '{}') as Record<string, string>)
        .map(([name, value]) => `<input type="hidden" name="${escape(name)}" value="${escape(value)}">`).join('')
      body = `<form method="post" action="${param('action')}" enctype="${param('enctype')}">${fields}<button>Win a prize</button></form>`
    } else if (url.pathname === '/link') {
      body = `<a href="${param('href')}">Your statement is ready</a>`
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Mail</title>${body}`)
  })
  const port = await freePort()
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  return { url: `http://${OTHER_HOST}:${(server.address() as AddressInfo).port}` }
}
