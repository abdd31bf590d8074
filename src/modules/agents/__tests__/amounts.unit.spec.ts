import fc from "fast-check"
import { fromMinor, toAmount, toMinor } from "../service"

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
})
