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
  /** Given, SIGHUP calls it (re-read what can change at run time) instead of shutting down. */
  onReload?: (app: FastifyInstance) => void
}

function isConfigError (error: unknown): error is Error {
  return error instanceof Error && error.name.endsWith('ConfigError')
}

/** The one place a service touches the process: config, listen, and graceful shutdown. */
export async function runService<C> (options: RunOptions<C>): Promise<FastifyInstance> {
  let config: C
  let app: FastifyInstance
  try {
    config = options.loadConfig()
    app = await options.build(config)
  } catch (error) {
    // A refused setting (ConfigError, shared-auth's AuthConfigError, thrown while reading the config
    // or resolving keys during the build) is one line that names the variable: no stack trace.
    if (!isConfigError(error)) throw error
    process.stderr.write(`${options.name}: ${error.message.split('\n')[0] ?? ''}\n`)
    process.exit(1)
  }
  const onReload = options.onReload
  if (onReload !== undefined) process.on('SIGHUP', () => onReload(app))
  closeWithGrace({ delay: (options.graceSeconds ?? 10) * 1000, logger: app.log, skip: onReload === undefined ? [] : ['SIGHUP'] }, async ({ signal, err }) => {
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
