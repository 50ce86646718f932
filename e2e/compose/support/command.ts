import { spawn } from 'node:child_process'
import { appendFileSync } from 'node:fs'

export interface CommandResult { code: number | null, stdout: string, stderr: string }

/**
 * Runs a command to its end; its output is kept (and appended to `log`, when given) and a non-zero
 * exit throws with the last lines, unless `allowFailure`.
 */
export async function run (command: string, args: string[], options: { log?: string, allowFailure?: boolean, env?: NodeJS.ProcessEnv, cwd?: string } = {}): Promise<CommandResult> {
  const child = spawn(command, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    if (options.log) appendFileSync(options.log, chunk)
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
    if (options.log) appendFileSync(options.log, chunk)
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', resolve)
  })
  if (code !== 0 && options.allowFailure !== true) {
    const tail = `${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n')
    throw new Error(`${command} ${args.join(' ')} exited with ${code}:\n${tail}`)
  }
  return { code, stdout, stderr }
}

/** True when `name` is an executable on PATH. */
export async function onPath (name: string): Promise<boolean> {
  const { code } = await run('sh', ['-c', `command -v ${name}`], { allowFailure: true })
  return code === 0
}

/** Polls `check` every `intervalMs` until it returns a value, or throws after `timeoutMs`. */
export async function poll<T> (what: string, check: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 1000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
