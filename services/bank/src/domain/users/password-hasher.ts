import { existsSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import pLimit from 'p-limit'
import { Piscina } from 'piscina'
import type { HashTask } from './hash-worker.js'

/** OWASP's argon2id parameters: m=19456 KiB, t=2, p=1. */
export const ARGON2_OPTIONS = {
  // Algorithm.Argon2id; the enum is a const enum that verbatimModuleSyntax cannot import.
  algorithm: 2,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1
} as const

/**
 * What an unknown user's password is checked against, so that an unknown user costs one argon2id
 * verification like a known one. Its password was random and thrown away; its parameters are
 * ARGON2_OPTIONS (a test checks). A constant rather than a hash made at start-up: on a busy machine a
 * start-up hash on the low-priority threads outlasted Fastify's plugin timeout.
 */
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$lLJTp5lkaoC7+h0sOF0KJw$4fxaVTa4nEjc/f6my2TZla9ZzgVD749W0tfrZGPaiaI'

export interface PasswordHasher {
  hash: (password: string) => Promise<string>
  /** Verifies against the stored hash, or against a dummy hash when there is none (same cost). */
  verify: (storedHash: string | undefined, password: string) => Promise<boolean>
  /** Stops the hashing threads. */
  close: () => Promise<void>
}

/** The argon2 functions the hasher bounds; tests substitute instrumented ones. */
export interface Argon2 {
  hash: (password: string, options: typeof ARGON2_OPTIONS) => Promise<string>
  verify: (hashed: string, password: string) => Promise<boolean>
  close?: () => Promise<void>
}

/** The compiled worker next to this module, or its TypeScript source when tests run the sources. */
function hashWorkerFile (): string {
  const compiled = new URL('./hash-worker.js', import.meta.url)
  return existsSync(fileURLToPath(compiled)) ? compiled.href : new URL('./hash-worker.ts', import.meta.url).href
}

/**
 * argon2id on `threads` threads of their own, each at a lower priority (hash-worker.ts), instead of
 * libuv's shared pool at the process's priority.
 */
export function argon2Threads (threads: number): Required<Argon2> {
  const pool = new Piscina<HashTask, string | boolean>({ filename: hashWorkerFile(), minThreads: threads, maxThreads: threads })
  return {
    hash: async (password, options) => await pool.run({ op: 'hash', password, options }) as string,
    verify: async (hashed, password) => await pool.run({ op: 'verify', hashed, password }) as boolean,
    close: () => pool.destroy()
  }
}

/** Hashing may keep at most half the machine's cores busy, so a login storm leaves the other services CPU. */
export function defaultHashConcurrency (): number {
  return Math.max(1, Math.floor(availableParallelism() / 2))
}

/**
 * Each hash takes ~19 MiB and a thread for tens of milliseconds; at most `concurrency` run at once so
 * a login flood queues here instead of exhausting memory, every libuv thread or every core.
 */
export function createPasswordHasher (concurrency = defaultHashConcurrency(), argon2: Argon2 = argon2Threads(concurrency)): PasswordHasher {
  const limit = pLimit(concurrency)
  return {
    close: async () => { await argon2.close?.() },
    hash: (password) => limit(() => argon2.hash(password, ARGON2_OPTIONS)),
    verify: async (storedHash, password) => {
      // A stored hash argon2 cannot read answers false (in the worker); a failing hashing thread
      // rejects, and becomes a 500, never a wrong password that would count against the user.
      const ok = await limit(() => argon2.verify(storedHash ?? DUMMY_HASH, password))
      return ok && storedHash !== undefined
    }
  }
}
