import { type IncomingMessage, type Server, type ServerResponse, createServer, request as httpRequest } from 'node:http'

/**
 * Stands between retirement and the bank (retirement's BANK_INTERNAL_URL points here) and forwards
 * everything. `afterDebit`, when set, runs once the bank has answered a contribution debit with
 * success and before that answer is passed on: the test kills retirement there, so the bank has
 * committed the debit and retirement never hears of it.
 */
export interface BankProxy {
  url: string
  target: string
  afterDebit: (() => Promise<void>) | undefined
  close: () => Promise<void>
}

export async function startBankProxy (target = ''): Promise<BankProxy> {
  const proxy: BankProxy = { url: '', target, afterDebit: undefined, close: async () => {} }
  const server: Server = createServer((incoming: IncomingMessage, outgoing: ServerResponse) => {
    // Before the test names the bank (retirement may call while the stack starts): a bad gateway.
    if (proxy.target === '') {
      outgoing.writeHead(502).end()
      return
    }
    const upstream = httpRequest(`${proxy.target}${incoming.url ?? '/'}`, { method: incoming.method, headers: incoming.headers }, (answer) => {
      const chunks: Buffer[] = []
      answer.on('data', (chunk: Buffer) => chunks.push(chunk))
      answer.on('end', () => {
        const debited = incoming.method === 'POST' && incoming.url === '/internal/contributions' && (answer.statusCode ?? 500) < 300
        const hook = debited ? proxy.afterDebit : undefined
        if (hook !== undefined) {
          proxy.afterDebit = undefined
          hook().finally(() => outgoing.destroy())
          return
        }
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        outgoing.end(Buffer.concat(chunks))
      })
    })
    upstream.on('error', () => outgoing.destroy())
    incoming.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  proxy.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  proxy.close = () => new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })
  return proxy
}
