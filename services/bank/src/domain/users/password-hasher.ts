import { randomBytes } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { hash, verify } from '@node-rs/argon2'
import pLimit from 'p-limit'

/** OWASP's argon2id parameters: m=19456 KiB, t=2, p=1. */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; the enum is a const enum that verbatimModuleSyntax cannot import.
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1
} as const

export interface PasswordHasher {
  hash: (password: string) => Promise<string>
  /** Verifies against the stored hash, or against a dummy hash when there is none (same cost). */
  verify: (storedHash: string | undefined, password: string) => Promise<boolean>
}

/** The argon2 functions the hasher bounds; tests substitute instrumented ones. */
export interface Argon2 {
  hash: (password: string, options: typeof ARGON2_OPTIONS) => Promise<string>
  verify: (hashed: string, password: string) => Promise<boolean>
}

/**
 * Hashing may keep at most half the machine's cores busy: on two cores, a login storm at two
 * concurrent hashes left the retirement service a small fraction of the CPU (docs/benchmarks.md).
 */
export function defaultHashConcurrency (): number {
  return Math.max(1, Math.floor(availableParallelism() / 2))
}

/**
 * Each hash takes ~19 MiB and a thread for tens of milliseconds; at most `concurrency` run at once so
 * a login flood queues here instead of exhausting memory, every libuv thread or every core.
 */
export async function createPasswordHasher (concurrency = defaultHashConcurrency(), argon2: Argon2 = { hash, verify }): Promise<PasswordHasher> {
  const limit = pLimit(concurrency)
  const dummyHash = await argon2.hash(randomBytes(16).toString('hex'), ARGON2_OPTIONS)
  return {
    hash: (password) => limit(() => argon2.hash(password, ARGON2_OPTIONS)),
    verify: async (storedHash, password) => {
      const ok = await limit(() => argon2.verify(storedHash ?? dummyHash, password).catch(() => false))
      return ok && storedHash !== undefined
    }
  }
}
