import closeWithGrace from 'close-with-grace'
import type { FastifyInstance } from 'fastify'

export interface RunOptions<C> {
  name: string
  /** Reads and validates configuration; a thrown error stops start-up with its message. */
  loadConfig: () => C
  build: (config: C) => Promise<FastifyInstance>
  listenOn: (config: C) => { port: number, host: string, publicUrl: string }
  /** Seconds to wait for in-flight requests after a signal before forcing the close. */
  graceSeconds?: number
}

/** The one place a service touches the process: config, listen, and graceful shutdown. */
export async function runService<C> (options: RunOptions<C>): Promise<FastifyInstance> {
  let config: C
  try {
    config = options.loadConfig()
  } catch (error) {
    process.stderr.write(`${options.name}: ${(error as Error).message}\n`)
    process.exit(1)
  }
  const app = await options.build(config)
  closeWithGrace({ delay: (options.graceSeconds ?? 10) * 1000, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down')
    await app.close()
  })
  try {
    const { port, host, publicUrl } = options.listenOn(config)
    const address = await app.listen({ port, host })
    app.log.info({ address, publicUrl }, `${options.name} is up: open ${publicUrl}`)
  } catch (error) {
    app.log.error({ err: error }, 'could not start')
    process.exit(1)
  }
  return app
}
