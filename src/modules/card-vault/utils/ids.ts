import { randomBytes } from "crypto"

const ENCODING = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
const POOL_SIZE = 10 * 1024

let pool = Buffer.alloc(0)
let offset = 0
let lastTime = -1
let lastRandom: number[] = []

function nextRandom(): number[] {
  if (offset + 10 > pool.length) {
    pool = randomBytes(POOL_SIZE)
    offset = 0
  }
  // 80 random bits as 16 base32 digits.
  const out: number[] = new Array(16)
  let bitPos = 0
  for (let i = 0; i < 16; i++) {
    const byte = offset + (bitPos >> 3)
    const shift = bitPos & 7
    const word = (pool[byte] << 8) | (pool[byte + 1] ?? 0)
    out[i] = (word >> (11 - shift)) & 0x1f
    bitPos += 5
  }
  offset += 10
  return out
}

/**
 * Entity ids in Medusa's format (`<prefix>_<ULID>`), for bulk imports: a monotonic ULID (ids made in the same
 * millisecond increase by one, so a batch's codes sort in file order) from bulk random bytes — many times faster
 * than generating each id from its own random call.
 */
export function bulkEntityId(prefix: string): string {
  let now = Date.now()
  let random: number[]
  if (now <= lastTime) {
    now = lastTime
    random = lastRandom.slice()
    let i = 15
    while (i >= 0 && random[i] === 31) random[i--] = 0
    if (i < 0) {
      // 2^80 ids in one millisecond: move to the next one.
      now = lastTime + 1
      random = nextRandom()
    } else {
      random[i]++
    }
  } else {
    random = nextRandom()
  }
  lastTime = now
  lastRandom = random
  let time = ""
  let t = now
  for (let i = 0; i < 10; i++) {
    time = ENCODING[t % 32] + time
    t = Math.floor(t / 32)
  }
  let rest = ""
  for (const v of random) rest += ENCODING[v]
  return `${prefix}_${time}${rest}`
}
