import { request } from 'node:http'

/**
 * A JSON POST from a chosen loopback address (127.0.0.2, 127.0.0.3, …): the proxy sees a distinct
 * client for each, as it would see distinct machines. Every 127.x address is the loopback, so the
 * traffic stays on this machine.
 */
export async function postFrom (localAddress: string, url: string, json: unknown): Promise<number> {
  const body = JSON.stringify(json)
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      localAddress,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }
    }, (response) => {
      response.resume()
      response.once('end', () => resolve(response.statusCode ?? 0))
    })
    outgoing.once('error', reject)
    outgoing.end(body)
  })
}
