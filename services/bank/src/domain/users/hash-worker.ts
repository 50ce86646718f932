/**
 * A password-hashing thread of the bank's pool (piscina). Linux keeps a nice value per thread: each
 * of these lowers its own priority before its first hash, so during a login storm the hashing yields the CPU to
 * request handling, in the bank and in the services sharing the machine. Logins still get every
 * cycle nobody else wants. Elsewhere the same call would lower
 * the whole process, so it is made on Linux only.
 */
import { setPriority } from 'node:os'
import { type Options, hashSync, verifySync } from '@node-rs/argon2'

export const HASHING_NICE = 19

let lowered = false

/** Lowers the calling thread's priority, once (on Linux `setpriority(PRIO_PROCESS, 0)` is per thread). */
function lowerThisThread (): void {
  if (lowered) return
  lowered = true
  if (process.platform !== 'linux') return
  try {
    setPriority(0, HASHING_NICE)
  } catch {
    // Not permitted here: hash at the normal priority.
  }
}

export type HashTask =
  | { op: 'hash', password: string, options: Options }
  | { op: 'verify', hashed: string, password: string }

export default function hashTask (task: HashTask): string | boolean {
  lowerThisThread()
  if (task.op === 'hash') return hashSync(task.password, task.options)
  try {
    return verifySync(task.hashed, task.password)
  } catch {
    // Not an argon2 hash (a corrupt or foreign stored value): it verifies nothing.
    return false
  }
}
