/** What every bench server reads from its environment; the runner sets it. */
export function benchServerEnv (): { port: number, secret: string, bankUrl: string } {
  return {
    port: Number(process.env.PORT ?? 0),
    secret: process.env.JWT_SECRET ?? '',
    bankUrl: process.env.BANK_URL ?? ''
  }
}

/**
 * Close on SIGTERM and exit normally, so that `--cpu-prof` writes its profile (it does on exit,
 * not when a signal kills the process).
 */
export function exitOnSigterm (close: () => Promise<unknown> | void): void {
  process.once('SIGTERM', () => {
    Promise.resolve(close()).finally(() => process.exit(0))
  })
}

/** The JSON every scenario answers: what retirement's GET /api/me returns. */
export const USER_VIEW_SCHEMA = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    username: { type: 'string' },
    name: { type: 'string' }
  },
  required: ['id', 'username', 'name'],
  additionalProperties: false
} as const
