import type { FastifyBaseLogger } from 'fastify'

/**
 * Problems an operator must fix, by key (a party, or the one trust in the bank): each is logged at
 * error level when it appears and again only when its cause changes, not on every retry; an info
 * line says when it clears. The current ones are kept for /readyz.
 */
export function createProblemLog<Key> (log: FastifyBaseLogger) {
  const current = new Map<Key, string>()
  return {
    /** Records `problem` for `key`; logs `line` (default: the problem) unless that very problem is already known. */
    raise (key: Key, problem: string, fields: Record<string, unknown> = {}, line = problem): void {
      if (current.get(key) === problem) return
      current.set(key, problem)
      log.error(fields, line)
    },
    /** The problem of `key` is gone: one info line, if there was one. */
    clear (key: Key, fields: Record<string, unknown>, line: string): void {
      if (current.delete(key)) log.info(fields, line)
    },
    has: (key: Key): boolean => current.has(key),
    /** One line per current problem. */
    problems: (): string[] => [...current.values()]
  }
}
