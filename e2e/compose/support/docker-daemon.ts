import { type ChildProcess, spawn } from 'node:child_process'
import { openSync } from 'node:fs'
import { join } from 'node:path'
import { onPath, poll, run } from './command.js'

export const REQUIRED_TOOLS = ['dockerd', 'docker', 'docker-compose', 'debootstrap']

/** The tools the compose test needs that are not on PATH (Debian: docker.io, docker-compose, debootstrap). */
export async function missingTools (): Promise<string[]> {
  const missing: string[] = []
  for (const tool of REQUIRED_TOOLS) if (!(await onPath(tool))) missing.push(tool)
  if (process.getuid?.() !== 0) missing.push('root (dockerd and debootstrap run as root)')
  return missing
}

export interface DockerDaemon {
  /** False when a daemon was already running: then it is left running. */
  startedHere: boolean
  stop: () => Promise<void>
}

async function answers (): Promise<boolean> {
  return (await run('docker', ['info', '--format', '{{.ServerVersion}}'], { allowFailure: true })).code === 0
}

/**
 * Starts dockerd with no bridge and no iptables rules (containers use the host's network, so all
 * traffic stays on 127.0.0.1), unless one already answers. Images live in the default data root,
 * so base images built by an earlier run are reused.
 */
export async function startDockerDaemon (logDir: string): Promise<DockerDaemon> {
  if (await answers()) return { startedHere: false, stop: async () => {} }
  const log = openSync(join(logDir, 'dockerd.log'), 'a')
  const daemon: ChildProcess = spawn('dockerd', ['--bridge=none', '--iptables=false', '--ip6tables=false'], {
    stdio: ['ignore', log, log]
  })
  const exited = new Promise<void>((resolve) => daemon.once('exit', () => resolve()))
  await poll('dockerd to answer', async () => {
    if (daemon.exitCode !== null) throw new Error(`dockerd exited with ${daemon.exitCode}; see ${join(logDir, 'dockerd.log')}`)
    return (await answers()) ? true : undefined
  }, 60_000, 500)
  return {
    startedHere: true,
    stop: async () => {
      if (daemon.exitCode !== null || daemon.signalCode !== null) return
      daemon.kill('SIGTERM')
      const timer = setTimeout(() => daemon.kill('SIGKILL'), 30_000)
      await exited
      clearTimeout(timer)
    }
  }
}
