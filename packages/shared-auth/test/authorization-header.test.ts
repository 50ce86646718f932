import { connect } from 'node:net'
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { alice, buildAuthApp } from './helper.js'
import { mintAccessToken } from '../testing/index.js'

/** One raw HTTP/1.1 request, so that a header can be sent twice (fetch and inject merge them). */
async function rawGet (port: number, path: string, headerLines: string[]): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1')
    let data = ''
    socket.setEncoding('utf8').on('data', (chunk: string) => { data += chunk }).on('error', reject).on('end', () => {
      resolve({ status: Number(data.split(' ')[1]), body: data.slice(data.indexOf('\r\n\r\n') + 4) })
    })
    socket.write([`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close', ...headerLines, '', ''].join('\r\n'))
  })
}

// Issue 16, findings 5 and 6.
t.test('two Authorization headers are refused as ambiguous, whichever comes first', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  const token = mintAccessToken(alice, { secret })
  const single = await rawGet(port, '/me', [`Authorization: Bearer ${token}`])
  t.equal(single.status, 200, 'one header: accepted')
  for (const [name, lines] of [
    ['valid first, junk second', [`Authorization: Bearer ${token}`, 'Authorization: Bearer junk']],
    ['junk first, valid second', ['Authorization: Bearer junk', `Authorization: Bearer ${token}`]],
    ['the same token twice', [`Authorization: Bearer ${token}`, `authorization: Bearer ${token}`]]
  ] as const) {
    const response = await rawGet(port, '/me', [...lines])
    t.equal(response.status, 401, name)
    t.match(JSON.parse(response.body), { code: 'AUTH_TOKEN_AMBIGUOUS' }, name)
  }
})

t.test('the Bearer scheme is case-insensitive (RFC 9110 §11.1)', async (t) => {
  const { app, secret } = await buildAuthApp(t)
  const token = mintAccessToken(alice, { secret })
  for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR']) {
    const response = await app.inject({ url: '/me', headers: { authorization: `${scheme} ${token}` } })
    t.equal(response.statusCode, 200, scheme)
  }
  const spaces = await app.inject({ url: '/me', headers: { authorization: `Bearer  ${token}` } })
  t.equal(spaces.statusCode, 200, 'more than one space after the scheme')
  for (const header of [`Basic ${token}`, `Bearer${token}`, `Bearerx ${token}`, token]) {
    t.equal((await app.inject({ url: '/me', headers: { authorization: header } })).statusCode, 401, header.slice(0, 12))
  }
})
