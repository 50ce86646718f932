import type { AddressInfo } from 'node:net'
import { createServer } from 'node:http'

export interface Trap {
  url: string
  /** Requests received so far: a jku/x5u header that made a service fetch shows up here. */
  hits: string[]
  close: () => Promise<void>
}

/** A listener on 127.0.0.1 that records every request, for the "no network fetch" cases. */
export async function openTrap (): Promise<Trap> {
  const hits: string[] = []
  const server = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`)
    response.statusCode = 404
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    hits,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
