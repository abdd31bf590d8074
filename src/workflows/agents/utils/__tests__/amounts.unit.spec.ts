import { BigNumber } from "@medusajs/framework/utils"
import fc from "fast-check"
import { lineTotal, purchaseShares, toDecimal, toNumberAtBoundary } from "../amounts"

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

  it("totals and commissions along the agent chain are exact and add up to what the buyer pays", () => {
    const purchase = fc.integer({ min: 1, max: 4 }).chain((depth) =>
      fc.record({
        chain: fc.constant(Array.from({ length: depth }, (_, i) => `agent_${i}`)),
        lines: fc.array(fc.record({ quantity, prices: fc.array(price, { minLength: depth, maxLength: depth }) }), { minLength: 1, maxLength: 6 }),
      })
    )
    fc.assert(
      fc.property(purchase, ({ chain, lines }) => {
        const shares = purchaseShares(
          chain,
          lines.map((l) => ({ quantity: l.quantity, unit_prices: Object.fromEntries(chain.map((id, i) => [id, l.prices[i].text])) }))
        )
        // The reference: integer arithmetic on 1/10,000 units.
        let total = 0n
        let house = 0n
        const commissions = chain.slice(1).map(() => 0n)
        for (const l of lines) {
          const q = BigInt(l.quantity)
          total += l.prices[0].minor * q
          for (let i = 1; i < chain.length; i++) commissions[i - 1] += (l.prices[i - 1].minor - l.prices[i].minor) * q
          house += l.prices[chain.length - 1].minor * q
        }
        expect(minorOf(shares.total)).toBe(total)
        expect(minorOf(shares.house)).toBe(house)
        expect(Object.keys(shares.commissions)).toEqual(chain.slice(1))
        chain.slice(1).forEach((id, i) => expect(minorOf(shares.commissions[id])).toBe(commissions[i]))
        // Nothing is lost or made up between the buyer, the chain and the house.
        expect(Object.values(shares.commissions).reduce((sum, c) => sum + minorOf(c), minorOf(shares.house))).toBe(minorOf(shares.total))
      }),
      { numRuns: 1000 }
    )
  })

  it("splits the example of the wholesale tests as the statements show it", () => {
    expect(purchaseShares(["shop", "mid", "top"], [{ quantity: 3, unit_prices: { shop: "13.5", mid: "12", top: "10" } }])).toEqual({
      total: "40.5",
      commissions: { mid: "4.5", top: "6" },
      house: "30",
    })
    expect(() => purchaseShares(["shop", "mid"], [{ quantity: 1, unit_prices: { shop: "1" } }])).toThrow("No unit price given for agent mid")
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
