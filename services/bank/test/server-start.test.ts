import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const SERVICES = fileURLToPath(new URL('../../', import.meta.url))

/** Runs a service's server.ts from source as a process, with only `env`; its exit code and stderr. */
async function start (service: 'bank' | 'retirement', env: Record<string, string>): Promise<{ code: number | null, stderr: string, stdout: string }> {
  const child = spawn(process.execPath, ['--import=tsx', '--conditions=@nestegg/source', 'src/server.ts'], {
    cwd: `${SERVICES}${service}`,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', DATABASE_URL: 'sqlite::memory:', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  let stdout = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { stdout += chunk })
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
  clearTimeout(timer)
  return { code, stderr, stdout }
}

// Issue 16, finding 8: starting without a secret in production printed the message as an uncaught
// exception, with a stack trace. A refusal is one line naming the variable, and a non-zero exit.
const refusals: Array<[string, 'bank' | 'retirement', Record<string, string>, RegExp]> = [
  ['no secret in production', 'bank', { NODE_ENV: 'production' }, /^bank: JWT_SECRET or JWT_SECRET_FILE must be set when NODE_ENV=production\n$/],
  ['a short secret', 'bank', { NODE_ENV: 'test', JWT_SECRET: 'short' }, /^bank: JWT_SECRET is 5 bytes long.*\n$/],
  ['no secret in production', 'retirement', { NODE_ENV: 'production' }, /^retirement: JWT_SECRET or JWT_SECRET_FILE must be set when NODE_ENV=production\n$/],
  ['a port that is not a number', 'bank', { NODE_ENV: 'test', PORT: 'abc' }, /^bank: Invalid configuration: PORT must be integer\n$/]
]
for (const [name, service, env, line] of refusals) {
  t.test(`${service}, ${name}: one line naming the variable, exit 1`, async (t) => {
    const { code, stderr, stdout } = await start(service, env)
    t.equal(code, 1)
    t.match(stderr, line)
    t.notMatch(stderr, /\n\s+at /, 'no stack trace')
    // Start-up may have logged its progress (the database opens first); never an error or a stack.
    t.notMatch(stdout, /"level":(50|60)|\n\s+at /, 'no error line or stack trace on stdout')
  })
}
