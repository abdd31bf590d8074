import { createHash } from "crypto"
import fc from "fast-check"
import { FingerprintSet } from "../utils/fingerprint-set"
import { bulkEntityId } from "../utils/ids"

const hex = (s: string) => createHash("sha256").update(s).digest("hex")

describe("FingerprintSet", () => {
  it("behaves like a Map from fingerprint to first line, across growth", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 5000 }), (values) => {
        const set = new FingerprintSet(4)
        const reference = new Map<string, number>()
        values.forEach((v, i) => {
          const key = hex(String(v))
          const line = i + 1
          expect(set.add(key, line)).toBe(reference.get(key) ?? 0)
          if (!reference.has(key)) reference.set(key, line)
        })
        expect(set.size).toBe(reference.size)
      }),
      { numRuns: 50 }
    )
  })
})

describe("bulkEntityId", () => {
  it("gives Medusa-style ids that are unique and increase in the order they were made", () => {
    const ids = Array.from({ length: 50_000 }, () => bulkEntityId("ccode"))
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.every((id) => /^ccode_[0-9A-HJKMNP-TV-Z]{26}$/.test(id))).toBe(true)
    expect([...ids].sort()).toEqual(ids)
  })
})
