import { randomUUID } from 'node:crypto'

let lastMs = 0
let counter = 0

/**
 * A transfer id that sorts by booking time: 12 hex digits of milliseconds, a 6-digit counter that keeps
 * ids from one process strictly increasing within a millisecond, and 8 random hex digits so that two
 * processes never collide. Fixed length and lower-case hex, so text order is time order on any engine
 * and collation. Account history pages by it.
 */
export function newTransferId (now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    counter = 0
  } else {
    counter++
  }
  // The first 8 hex digits of a version-4 UUID are random; randomUUID draws them from bytes it
  // fetches in bulk, where randomBytes(4) would go to the CSPRNG on every transfer.
  return lastMs.toString(16).padStart(12, '0') + counter.toString(16).padStart(6, '0') + randomUUID().slice(0, 8)
}

export const TRANSFER_ID_PATTERN = '^[0-9a-f]{26}$'
