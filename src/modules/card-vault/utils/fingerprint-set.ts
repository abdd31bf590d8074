/**
 * Remembers which codes a file already had, by a 128-bit prefix of their blind index (hex), with the line each
 * first appeared on: an open-addressing hash table over typed arrays, about 40 MB for a million codes where a Map of
 * strings takes several times that. Two different codes share a 128-bit prefix with a probability of ~2^-128 per
 * pair — never, in practice.
 */
export class FingerprintSet {
  private keys: Uint32Array
  private lines: Int32Array
  private mask: number
  private count = 0

  constructor(initialCapacity = 1 << 16) {
    let capacity = 1
    while (capacity < initialCapacity * 2) capacity <<= 1
    this.keys = new Uint32Array(capacity * 4)
    this.lines = new Int32Array(capacity)
    this.mask = capacity - 1
  }

  get size() {
    return this.count
  }

  /**
   * Adds the fingerprint of `hex` seen on `line` (≥ 1). Returns 0 if it is new, otherwise the line it was first
   * seen on (and keeps that one).
   */
  add(hex: string, line: number): number {
    const a = parseInt(hex.slice(0, 8), 16) >>> 0
    const b = parseInt(hex.slice(8, 16), 16) >>> 0
    const c = parseInt(hex.slice(16, 24), 16) >>> 0
    const d = parseInt(hex.slice(24, 32), 16) >>> 0
    let slot = a & this.mask
    while (this.lines[slot] !== 0) {
      const k = slot * 4
      if (this.keys[k] === a && this.keys[k + 1] === b && this.keys[k + 2] === c && this.keys[k + 3] === d) {
        return this.lines[slot]
      }
      slot = (slot + 1) & this.mask
    }
    const k = slot * 4
    this.keys[k] = a
    this.keys[k + 1] = b
    this.keys[k + 2] = c
    this.keys[k + 3] = d
    this.lines[slot] = line
    if (++this.count * 2 > this.lines.length) this.grow()
    return 0
  }

  private grow() {
    const oldKeys = this.keys
    const oldLines = this.lines
    const capacity = oldLines.length * 2
    this.keys = new Uint32Array(capacity * 4)
    this.lines = new Int32Array(capacity)
    this.mask = capacity - 1
    for (let s = 0; s < oldLines.length; s++) {
      if (oldLines[s] === 0) continue
      let slot = oldKeys[s * 4] & this.mask
      while (this.lines[slot] !== 0) slot = (slot + 1) & this.mask
      this.keys.set(oldKeys.subarray(s * 4, s * 4 + 4), slot * 4)
      this.lines[slot] = oldLines[s]
    }
  }
}
