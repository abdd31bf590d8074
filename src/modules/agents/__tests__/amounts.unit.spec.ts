import { MathBN } from "@medusajs/framework/utils"
import fc from "fast-check"
import { fromMinor, toAmount, toMinor } from "../service"
import { splitPurchase } from "../utils/amounts"

describe("ledger amounts", () => {
  it("round-trip exactly between decimal strings and 1/10,000 integers", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (minor) => {
        expect(toMinor(fromMinor(minor))).toBe(minor)
      })
    )
    expect(fromMinor(12_345_000n)).toBe("1234.5")
    expect(fromMinor(-5n)).toBe("-0.0005")
    expect(toMinor("0.1") + toMinor("0.2")).toBe(toMinor("0.3"))
  })

  it("accept plain decimals only, saying which field is wrong", () => {
    expect(toAmount(12.5)).toBe("12.5")
    expect(toAmount(" 7 ")).toBe("7")
    for (const bad of ["1e3", "1,5", "", "0.00001", "12345678901234567", "--1"]) {
      expect(() => toAmount(bad, "price")).toThrow(`price must be a decimal amount with at most 16 digits before and 4 after the point, got ${JSON.stringify(bad)}`)
    }
  })

  it("split a purchase exactly along the agent chain, for any prices with up to 4 decimals and any quantities", () => {
    const SCALE = 10_000n
    const decimalOf = (minor: bigint) => `${minor / SCALE}.${(minor % SCALE).toString().padStart(4, "0")}`
    // Prices falling (or equal) up the chain, as the price floor demands: the buyer pays the most.
    const purchase = fc.integer({ min: 1, max: 4 }).chain((depth) =>
      fc.record({
        chain: fc.constant(Array.from({ length: depth }, (_, i) => `agent_${i}`)),
        lines: fc.array(
          fc.record({
            quantity: fc.integer({ min: 1, max: 10_000 }),
            prices: fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: depth, maxLength: depth }).map((p) => p.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))),
          }),
          { minLength: 1, maxLength: 6 }
        ),
      })
    )
    fc.assert(
      fc.property(purchase, ({ chain, lines }) => {
        const { total, owed } = splitPurchase(
          chain,
          lines.map((l) => ({ quantity: l.quantity, unit_prices: Object.fromEntries(chain.map((id, i) => [id, decimalOf(l.prices[i])])) }))
        )
        // The reference: Medusa's MathBN on the decimal strings, an arithmetic independent of the ledger's integers.
        const sum = (f: (l: (typeof lines)[number]) => ReturnType<typeof MathBN.convert>) =>
          lines.reduce((acc, l) => MathBN.add(acc, f(l)), MathBN.convert(0))
        const exact = (n: ReturnType<typeof MathBN.convert>) => toMinor(n.toFixed(4))
        expect(total).toBe(exact(sum((l) => MathBN.mult(decimalOf(l.prices[0]), l.quantity))))
        expect(owed.get(chain[0])).toBe(-total)
        for (let i = 1; i < chain.length; i++) {
          const margin = sum((l) => MathBN.mult(MathBN.sub(decimalOf(l.prices[i - 1]), decimalOf(l.prices[i])), l.quantity))
          expect(owed.get(chain[i])).toBe(exact(margin))
        }
        expect(owed.get(null)).toBe(exact(sum((l) => MathBN.mult(decimalOf(l.prices[chain.length - 1]), l.quantity))))
        // Nothing is lost or made up between the buyer, the chain and the house.
        expect([...owed.values()].reduce((a, b) => a + b, 0n)).toBe(0n)
      }),
      { numRuns: 1000 }
    )
  })

  it("split the example of the wholesale tests as the statements show it, and refuse what the floor forbids", () => {
    const { total, owed } = splitPurchase(["shop", "mid", "top"], [{ quantity: 3, unit_prices: { shop: "13.5", mid: "12", top: "10" } }])
    expect(fromMinor(total)).toBe("40.5")
    expect(Object.fromEntries([...owed].map(([id, v]) => [String(id), fromMinor(v)]))).toEqual({ shop: "-40.5", mid: "4.5", top: "6", null: "30" })
    expect(() => splitPurchase(["shop", "mid"], [{ quantity: 1, unit_prices: { shop: "1" } }])).toThrow("No unit price given for agent mid")
    expect(() => splitPurchase(["shop", "mid"], [{ quantity: 1, unit_prices: { shop: "1", mid: "2" } }])).toThrow(
      "Agent shop would pay 1, less than its parent mid pays (2): the price floor forbids it"
    )
  })
})
