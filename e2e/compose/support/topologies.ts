import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePort } from '@nestegg/platform/testing'
import { ROOT } from '../../test/support/services.js'
import { type ComposeOverride, NGINX_IMAGE, TEST_HEALTHCHECK, buildOverride, databaseUrl, postgresOverride } from './compose-project.js'

// dockerd runs without a bridge here, so every container uses the host's network and listens on
// 127.0.0.1 at a free port, never 3000/3001. These overrides say where; the rest is the compose files'.

export interface SinglePorts { bank: number, retirement: number, postgres: number }

/** docker-compose.yml: one copy of each service, published at its own port. */
export async function singleTopology (nodeVersion: string) {
  const ports: SinglePorts = { bank: await freePort(), retirement: await freePort(), postgres: await freePort() }
  const build = buildOverride(nodeVersion)
  const urls = { BANK_URL: `http://localhost:${ports.bank}`, RETIREMENT_URL: `http://localhost:${ports.retirement}` }
  const override: ComposeOverride = {
    services: {
      postgres: postgresOverride(ports.postgres),
      bank: {
        build,
        network_mode: 'host',
        healthcheck: TEST_HEALTHCHECK,
        environment: { ...urls, HOST: '127.0.0.1', PORT: String(ports.bank), RETIREMENT_INTERNAL_URL: `http://127.0.0.1:${ports.retirement}`, DATABASE_URL: databaseUrl('bank', ports.postgres) }
      },
      retirement: {
        build,
        network_mode: 'host',
        healthcheck: TEST_HEALTHCHECK,
        environment: { ...urls, HOST: '127.0.0.1', PORT: String(ports.retirement), BANK_INTERNAL_URL: `http://127.0.0.1:${ports.bank}`, DATABASE_URL: databaseUrl('retirement', ports.postgres) }
      },
      'seed-demo': { network_mode: 'host', environment: { ...urls, DATABASE_URL: databaseUrl('bank', ports.postgres) } }
    }
  }
  return { ports, override, files: ['docker-compose.yml'] }
}

export interface ScalePorts {
  /** nginx: the public addresses. */
  bankProxy: number
  retirementProxy: number
  /** Each copy's own port, which the test uses to ask one copy directly. */
  bank: [number, number]
  retirement: [number, number]
  postgres: number
}

/** The lowest /api/auth limit per minute the scale test runs with, so that it can exceed it quickly. */
export const SCALE_AUTH_RATE_LIMIT = 12

/**
 * docker-compose.scale.yml: two copies of each service behind Debian's nginx, with
 * docker/nginx/nestegg.conf rewritten only where the host network differs: the copies' and the
 * proxy's addresses.
 */
export async function scaleTopology (nodeVersion: string, dir: string) {
  const ports: ScalePorts = {
    bankProxy: await freePort(),
    retirementProxy: await freePort(),
    bank: [await freePort(), await freePort()],
    retirement: [await freePort(), await freePort()],
    postgres: await freePort()
  }
  const nginxConf = join(dir, 'nginx-nestegg.conf')
  writeFileSync(nginxConf, readFileSync(join(ROOT, 'docker/nginx/nestegg.conf'), 'utf8')
    .replace('server bank:3000 ', `server 127.0.0.1:${ports.bank[0]} `)
    .replace('server bank-2:3000 ', `server 127.0.0.1:${ports.bank[1]} `)
    .replace('server retirement:3001 ', `server 127.0.0.1:${ports.retirement[0]} `)
    .replace('server retirement-2:3001 ', `server 127.0.0.1:${ports.retirement[1]} `)
    .replace('listen 3000;', `listen 127.0.0.1:${ports.bankProxy};`)
    .replace('listen 3001;', `listen 127.0.0.1:${ports.retirementProxy};`))
  const bankUrl = `http://localhost:${ports.bankProxy}`
  const retirementUrl = `http://localhost:${ports.retirementProxy}`
  // The proxy reaches the copies from 127.0.0.1: that is the address they trust.
  const common = { BANK_URL: bankUrl, RETIREMENT_URL: retirementUrl, TRUST_PROXY: '127.0.0.1', HOST: '127.0.0.1' }
  const bank = (port: number) => ({
    network_mode: 'host',
    healthcheck: TEST_HEALTHCHECK,
    environment: {
      ...common,
      PORT: String(port),
      RETIREMENT_INTERNAL_URL: `http://127.0.0.1:${ports.retirementProxy}`,
      DATABASE_URL: databaseUrl('bank', ports.postgres),
      AUTH_RATE_LIMIT_PER_MINUTE: String(SCALE_AUTH_RATE_LIMIT)
    }
  })
  const retirement = (port: number) => ({
    network_mode: 'host',
    healthcheck: TEST_HEALTHCHECK,
    environment: {
      ...common,
      PORT: String(port),
      BANK_INTERNAL_URL: `http://127.0.0.1:${ports.bankProxy}`,
      DATABASE_URL: databaseUrl('retirement', ports.postgres),
      // Contributions are picked up quickly, so one is in flight when a bank copy is killed.
      CONTRIBUTION_WORKER_INTERVAL_MS: '100'
    }
  })
  const override: ComposeOverride = {
    services: {
      postgres: postgresOverride(ports.postgres),
      bank: bank(ports.bank[0]),
      'bank-2': bank(ports.bank[1]),
      retirement: retirement(ports.retirement[0]),
      'retirement-2': retirement(ports.retirement[1]),
      nginx: {
        image: NGINX_IMAGE,
        network_mode: 'host',
        volumes: [`${nginxConf}:/etc/nginx/conf.d/default.conf:ro`]
      },
      'seed-demo': { network_mode: 'host', environment: { ...common, DATABASE_URL: databaseUrl('bank', ports.postgres) } }
    }
  }
  return { ports, override, files: ['docker-compose.scale.yml'], bankUrl, retirementUrl }
}
