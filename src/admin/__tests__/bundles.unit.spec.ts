import en from "../i18n/json/en.json"
import { bundleInputOf, percentOf } from "../lib/bundles"

const row = (pool_id: string, quantity = "1", share = "") => ({ pool_id, quantity, share })

describe("the bundle form", () => {
  it("turns percentages into basis points without float rounding, and splits by quantity when no share is given", () => {
    expect(bundleInputOf(" 追剧达人包 ", [row("cpool_a", "1", "33.34"), row("cpool_b", "2", "66.66")])).toEqual({
      input: { name: "追剧达人包", components: [{ pool_id: "cpool_a", quantity: 1, share: 3334 }, { pool_id: "cpool_b", quantity: 2, share: 6666 }] },
    })
    expect(bundleInputOf("Trio", [row("cpool_a"), row("cpool_b", "2")])).toEqual({
      input: { name: "Trio", components: [{ pool_id: "cpool_a", quantity: 1 }, { pool_id: "cpool_b", quantity: 2 }] },
    })
    expect(bundleInputOf("x", [row("cpool_a", "1", "0.1"), row("cpool_b", "1", "99.9")])).toEqual({
      input: { name: "x", components: [{ pool_id: "cpool_a", quantity: 1, share: 10 }, { pool_id: "cpool_b", quantity: 1, share: 9990 }] },
    })
  })

  it("names the row and the problem", () => {
    const problem = (name: string, rows: ReturnType<typeof row>[]) => {
      const out = bundleInputOf(name, rows)
      return "problem" in out ? out.problem : null
    }
    expect(problem("", [row("cpool_a")])).toEqual({ key: "virtualGoods.bundles.nameRequired" })
    expect(problem("x", [])).toEqual({ key: "virtualGoods.bundles.componentsRequired" })
    expect(problem("x", [row("cpool_a", "1", "50"), row("cpool_b")])).toEqual({ key: "virtualGoods.bundles.sharesAllOrNone" })
    expect(problem("x", [row("cpool_a"), row("")])).toEqual({ key: "virtualGoods.bundles.poolRequired", row: 2 })
    expect(problem("x", [row("cpool_a", "1.5")])).toEqual({ key: "virtualGoods.bundles.quantityInvalid", row: 1 })
    expect(problem("x", [row("cpool_a", "0")])).toEqual({ key: "virtualGoods.bundles.quantityInvalid", row: 1 })
    expect(problem("x", [row("cpool_a", "1", "33.333"), row("cpool_b", "1", "66.667")])).toEqual({ key: "virtualGoods.bundles.shareInvalid", row: 1 })
    expect(problem("x", [row("cpool_a", "1", "101"), row("cpool_b", "1", "0")])).toEqual({ key: "virtualGoods.bundles.shareInvalid", row: 1 })
    // Every problem has its label.
    for (const key of ["nameRequired", "componentsRequired", "sharesAllOrNone", "poolRequired", "quantityInvalid", "shareInvalid"]) {
      expect((en.virtualGoods.bundles as Record<string, string>)[key]).toEqual(expect.any(String))
    }
  })

  it("shows basis points as the percentage typed", () => {
    expect([6000, 4000, 3334, 3350, 10, 0, 10_000].map(percentOf)).toEqual(["60", "40", "33.34", "33.5", "0.1", "0", "100"])
  })
})
