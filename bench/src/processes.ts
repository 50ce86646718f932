import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../../', import.meta.url))

export interface ServerSpec {
  /** Short name, used in the table and for --profile. */
  name: string
  /** The compiled entry point, relative to the repository root. */
  entry: string
  env: Record<string, string>
  /** Node flags before the entry point (a service's come from its `npm start`). */
  nodeArgs?: string[]
}

export interface StartScript {
  /** Variables the script sets before `node` (`NAME=value node …`). */
  env: Record<string, string>
  /** Node's flags, before the entry point. */
  nodeArgs: string[]
  /** The entry point, relative to the package's directory. */
  entry: string
}

/**
 * How a service's `npm start` runs it: `[NAME=value …] node [--flag …] entry`. The benchmark starts
 * the services the same way, so runtime settings kept in the start script (the bank's memory
 * settings) are measured, not left out. Anything else in the script is refused rather than guessed.
 */
export function startScriptOf (packageDir: string): StartScript {
  const manifest = JSON.parse(readFileSync(join(ROOT, packageDir, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }
  const script = manifest.scripts?.start ?? ''
  const words = script.trim().split(/\s+/)
  const env: Record<string, string> = {}
  let index = 0
  for (; index < words.length && /^[A-Z_][A-Z0-9_]*=\S*$/.test(words[index] as string); index++) {
    const [name, ...value] = (words[index] as string).split('=')
    env[name as string] = value.join('=')
  }
  if (words[index] !== 'node') throw new Error(`${packageDir}: the start script is not [NAME=value …] node [flags] entry: ${script}`)
  const rest = words.slice(index + 1)
  const entry = rest.pop()
  if (entry === undefined || entry.startsWith('-') || !rest.every((word) => word.startsWith('--'))) {
    throw new Error(`${packageDir}: the start script is not [NAME=value …] node [flags] entry: ${script}`)
  }
  return { env, nodeArgs: rest, entry }
}

/** A service's spec as its `npm start` runs it, with the benchmark's environment on top. */
export function serviceSpec (name: string, packageDir: string, env: Record<string, string>): ServerSpec {
  const start = startScriptOf(packageDir)
  return { name, entry: join(packageDir, start.entry), env: { ...start.env, ...env }, nodeArgs: start.nodeArgs }
}

export interface RunningServer {
  name: string
  url: string
  port: number
  pid: number
  logFile: string
  process: ChildProcess
}

async function waitForReady (url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with code ${child.exitCode}`)
    try {
      const response = await fetch(`${url}/readyz`)
      if (response.ok) return
    } catch {}
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export interface StartOptions {
  port: number
  /** Directory for the server's log file (its stdout and stderr, as production would ship them). */
  logDir: string
  /** Write a V8 CPU profile into this directory when the server exits. */
  cpuProfileDir?: string | undefined
}

/** Starts one server as its own Node process on 127.0.0.1, logging to a file, and waits until /readyz answers. */
export async function startServer (spec: ServerSpec, options: StartOptions): Promise<RunningServer> {
  const logFile = join(options.logDir, `${spec.name}.log`)
  const fd = openSync(logFile, 'a')
  const nodeArgs = [...(spec.nodeArgs ?? []), ...(options.cpuProfileDir
    ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`, `--cpu-prof-name=${spec.name}.cpuprofile`]
    : [])]
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, spec.entry)], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...spec.env, PORT: String(options.port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd]
  })
  closeSync(fd)
  const url = `http://127.0.0.1:${options.port}`
  try {
    await waitForReady(url, child, 60_000)
  } catch (error) {
    child.kill('SIGKILL')
    const log = readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n')
    throw new Error(`${spec.name} did not start: ${(error as Error).message}\n${log}`)
  }
  return { name: spec.name, url, port: options.port, pid: child.pid ?? -1, logFile, process: child }
}

/** Resident set size in bytes (Linux /proc; `ps` elsewhere). */
export function residentBytes (pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+) kB/m.exec(status)
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

/** CPU time (user + system) the process has used so far, in microseconds (Linux /proc, 100 ticks a second). */
export function cpuMicros (pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return undefined
  }
}

export function isAlive (server: RunningServer): boolean {
  return server.process.exitCode === null && server.process.signalCode === null
}

/** SIGTERM, then wait for the exit (a CPU profile is written on the way out); SIGKILL after 15 s. */
export async function stopServer (server: RunningServer): Promise<void> {
  if (!isAlive(server)) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => server.process.kill('SIGKILL'), 15_000)
    server.process.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    server.process.kill('SIGTERM')
  })
}
