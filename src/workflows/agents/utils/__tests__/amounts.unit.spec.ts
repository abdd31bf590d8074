import { BigNumber } from "@medusajs/framework/utils"
import fc from "fast-check"
import { lineTotal, orderTotal, toDecimal, toNumberAtBoundary } from "../amounts"

const SCALE = 10_000n

/** A decimal string with at most 4 places as an integer of 1/10,000 — the exact reference. */
const minorOf = (amount: string): bigint => {
  const negative = amount.startsWith("-")
  const [whole, fraction = ""] = amount.replace(/^-/, "").split(".")
  if (fraction.length > 4) throw new Error(`more than 4 places: ${amount}`)
  const value = BigInt(whole) * SCALE + BigInt(fraction.padEnd(4, "0"))
  return negative ? -value : value
}

/** An integer of 1/10,000 as a decimal string, written with all four places (trailing zeros kept on purpose). */
const decimalOf = (minor: bigint): string => {
  const abs = minor < 0n ? -minor : minor
  return `${minor < 0n ? "-" : ""}${abs / SCALE}.${(abs % SCALE).toString().padStart(4, "0")}`
}

/** Prices up to 12 digits before the point and 4 after (the ledger takes 16 and 4), as decimal strings. */
const price = fc.bigInt({ min: 0n, max: 10n ** 16n - 1n }).map((minor) => ({ minor, text: decimalOf(minor) }))
const quantity = fc.integer({ min: 1, max: 10_000 })

describe("wholesale amounts", () => {
  it("a line's total is exact for any price with up to 4 decimals and any quantity", () => {
    fc.assert(
      fc.property(price, quantity, (p, q) => {
        expect(minorOf(lineTotal(p.text, q))).toBe(p.minor * BigInt(q))
      }),
      { numRuns: 2000 }
    )
    // What a float gets wrong.
    expect(0.1 * 3).not.toBe(0.3)
    expect(lineTotal("0.1", 3)).toBe("0.3")
    expect(lineTotal("13.5", 3)).toBe("40.5")
  })

  it("an order's total is exact: the sum of its lines", () => {
    const lines = fc.array(fc.record({ quantity, price }), { minLength: 1, maxLength: 8 })
    fc.assert(
      fc.property(lines, (ls) => {
        const total = orderTotal(ls.map((l) => ({ quantity: l.quantity, unit_price: l.price.text })))
        expect(minorOf(total)).toBe(ls.reduce((sum, l) => sum + l.price.minor * BigInt(l.quantity), 0n))
      }),
      { numRuns: 1000 }
    )
    expect(orderTotal([{ quantity: 3, unit_price: "13.5" }, { quantity: 1, unit_price: "0.1" }])).toBe("40.6")
  })

  it("writes amounts as plain decimals: numbers, strings, Medusa's BigNumber and raw values", () => {
    expect(toDecimal("13.5000")).toBe("13.5")
    expect(toDecimal({ value: "13.500000000000000000", precision: 20 })).toBe("13.5")
    expect(toDecimal(new BigNumber("0.0001"))).toBe("0.0001")
    expect(toDecimal(12)).toBe("12")
    expect(toDecimal("-0.0005")).toBe("-0.0005")
    expect(toDecimal("-0")).toBe("0")
    expect(toDecimal("1234567890123456.7891")).toBe("1234567890123456.7891")
    expect(() => toDecimal("abc")).toThrow('Not a finite amount: "abc"')
    fc.assert(
      fc.property(price, (p) => {
        expect(minorOf(toDecimal(p.text))).toBe(p.minor)
        // A number handed to an interface that takes one is the decimal's nearest double.
        expect(toNumberAtBoundary(p.text)).toBe(Number(p.text))
      })
    )
  })
})
