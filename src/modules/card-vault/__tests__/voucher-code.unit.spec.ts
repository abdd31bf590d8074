import fc from "fast-check"
import {
  checkCharacter,
  CROCKFORD_ALPHABET,
  generateVoucherCodes,
  isValidVoucherCode,
  resolveVoucherFormat,
} from "../utils/voucher-code"

const take = <T>(gen: Generator<T>, n: number) => {
  const out: T[] = []
  for (const v of gen) {
    out.push(v)
    if (out.length === n) break
  }
  return out
}

describe("voucher formats", () => {
  it("defaults to 16 random characters (80 bits) in groups of 4 with a check character", () => {
    const format = resolveVoucherFormat()
    expect(format).toEqual({ prefix: "", length: 16, group_size: 4, separator: "-", bits: 80 })
    const [code] = take(generateVoucherCodes(format), 1)
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}-[0-9A-HJKMNP-TV-Z]$/)
  })

  it("refuses fewer than 64 random bits and shows the arithmetic", () => {
    expect(() => resolveVoucherFormat({ length: 12 })).toThrow(
      "Too guessable: 12 random characters × 5 bits = 60 bits, below the minimum of 64 bits. Use a length of at least 13 (13 × 5 = 65 bits); the default 16 gives 80."
    )
    expect(resolveVoucherFormat({ length: 13 }).bits).toBe(65)
  })

  it("refuses bad prefixes, separators, lengths and group sizes", () => {
    expect(() => resolveVoucherFormat({ prefix: "GIFT 1" })).toThrow("prefix may hold up to 32 letters, digits, - and _")
    expect(() => resolveVoucherFormat({ separator: "/" })).toThrow('separator must be one of "-", " ", ".", "" (got "/")')
    expect(() => resolveVoucherFormat({ length: 65 })).toThrow("length must be an integer from 1 to 64, got 65")
    expect(() => resolveVoucherFormat({ group_size: -1 })).toThrow("group_size must be an integer from 0 to 64, got -1")
  })

  it("uses only the Crockford alphabet, each character about equally often", () => {
    const format = resolveVoucherFormat({ length: 20, group_size: 0 })
    const counts = new Map<string, number>()
    for (const code of take(generateVoucherCodes(format), 5000)) {
      for (const ch of code.slice(0, 20)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    }
    expect([...counts.keys()].sort().join("")).toBe(CROCKFORD_ALPHABET)
    const expected = (5000 * 20) / 32
    // Chi-square with 31 degrees of freedom: p = 0.0001 at ~69.
    const chi = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0)
    expect(chi).toBeLessThan(69)
  })

  it("generates no duplicates in 100,000 codes", () => {
    const codes = take(generateVoucherCodes(resolveVoucherFormat()), 100_000)
    expect(new Set(codes).size).toBe(100_000)
  })
})

describe("check character", () => {
  const format = resolveVoucherFormat({ prefix: "VG-", length: 16, group_size: 4, separator: "-" })
  const codes = fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 13, maxLength: 16 }).map((values) => {
    const f = resolveVoucherFormat({ prefix: "VG-", length: values.length, group_size: 4, separator: "-" })
    const body = values.map((v) => CROCKFORD_ALPHABET[v]).join("") + checkCharacter(values)
    return { f, chars: body.split("") }
  })
  const render = (f: typeof format, chars: string[]) => f.prefix + chars.join("")

  it("accepts every generated code, forgiving case, look-alikes and separators", () => {
    for (const code of take(generateVoucherCodes(format), 2000)) {
      expect(isValidVoucherCode(code, format)).toBe(true)
      expect(isValidVoucherCode(code.toLowerCase(), format)).toBe(true)
      const body = code.slice(format.prefix.length)
      expect(isValidVoucherCode(format.prefix + body.replace(/-/g, " "), format)).toBe(true)
      expect(isValidVoucherCode(format.prefix + body.replace(/-/g, ""), format)).toBe(true)
      expect(isValidVoucherCode(format.prefix + body.replace(/0/g, "O").replace(/1/g, "I"), format)).toBe(true)
    }
  })

  it("catches every single wrong character", () => {
    fc.assert(
      fc.property(codes, fc.nat(), fc.integer({ min: 1, max: 31 }), ({ f, chars }, pos, delta) => {
        expect(isValidVoucherCode(render(f, chars), f)).toBe(true)
        const i = pos % chars.length
        const wrong = chars.slice()
        wrong[i] = CROCKFORD_ALPHABET[(CROCKFORD_ALPHABET.indexOf(chars[i]) + delta) % 32]
        expect(isValidVoucherCode(render(f, wrong), f)).toBe(false)
      }),
      { numRuns: 2000 }
    )
  })

  it("catches every swap of two adjacent different characters", () => {
    fc.assert(
      fc.property(codes, fc.nat(), ({ f, chars }, pos) => {
        const i = pos % (chars.length - 1)
        fc.pre(chars[i] !== chars[i + 1])
        const swapped = chars.slice()
        ;[swapped[i], swapped[i + 1]] = [swapped[i + 1], swapped[i]]
        expect(isValidVoucherCode(render(f, swapped), f)).toBe(false)
      }),
      { numRuns: 2000 }
    )
  })

  it("rejects a wrong prefix, length or character outside the alphabet", () => {
    const [code] = take(generateVoucherCodes(format), 1)
    expect(isValidVoucherCode(code.replace("VG-", "XX-"), format)).toBe(false)
    expect(isValidVoucherCode(code.slice(0, -1), format)).toBe(false)
    expect(isValidVoucherCode(code + "0", format)).toBe(false)
    expect(isValidVoucherCode(code.slice(0, -1) + "U", format)).toBe(false)
  })
})
