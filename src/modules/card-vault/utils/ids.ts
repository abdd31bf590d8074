import { randomBytes } from "crypto"
import { monotonicFactory } from "ulid"

const POOL_SIZE = 16 * 1024
let pool = Buffer.alloc(0)
let offset = 0

/**
 * Random numbers in [0, 1) for the ULID generator, cut from one bulk `randomBytes` buffer: the generator draws one
 * number per base32 digit, and one crypto call per digit would cost more than the rest of an import's id making.
 * `byte / 256` keeps the digits uniform (the generator takes the top 5 bits).
 */
function bulkRandom(): number {
  if (offset >= pool.length) {
    pool = randomBytes(POOL_SIZE)
    offset = 0
  }
  return pool[offset++] / 256
}

const monotonicUlid = monotonicFactory(bulkRandom)

/**
 * Entity ids in Medusa's format (`<prefix>_<ULID>`), for bulk imports: a monotonic ULID (`ulid`'s monotonic factory:
 * ids made in the same millisecond increase by one, so a batch's codes sort in file order) from bulk random bytes.
 */
export function bulkEntityId(prefix: string): string {
  return `${prefix}_${monotonicUlid()}`
}
