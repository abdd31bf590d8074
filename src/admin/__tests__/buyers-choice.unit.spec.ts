import { exampleLabel, pickSettingsOf, premiumPercentOf } from "../lib/buyers-choice"

describe("buyer's choice form", () => {
  it("reads the premium as basis points without floats", () => {
    expect(pickSettingsOf({ premium: "20", show_first: "3", show_last: "4" }, true)).toEqual({ input: { pick_premium_bp: 2000, pick_show_first: 3, pick_show_last: 4 } })
    expect(pickSettingsOf({ premium: "12.5", show_first: "0", show_last: "4" }, true)).toEqual({ input: { pick_premium_bp: 1250, pick_show_first: 0, pick_show_last: 4 } })
    expect(pickSettingsOf({ premium: "0.07", show_first: "0", show_last: "0" }, true)).toEqual({ input: { pick_premium_bp: 7, pick_show_first: 0, pick_show_last: 0 } })
    expect(pickSettingsOf({ premium: "x", show_first: "0", show_last: "0" }, false)).toEqual({ input: { pick_premium_bp: null, pick_show_first: 0, pick_show_last: 0 } })
  })

  it("names the first problem", () => {
    expect(pickSettingsOf({ premium: "12.345", show_first: "0", show_last: "4" }, true)).toEqual({ problem: "virtualGoods.buyersChoice.premiumInvalid" })
    expect(pickSettingsOf({ premium: "-5", show_first: "0", show_last: "4" }, true)).toEqual({ problem: "virtualGoods.buyersChoice.premiumInvalid" })
    expect(pickSettingsOf({ premium: "10001", show_first: "0", show_last: "4" }, true)).toEqual({ problem: "virtualGoods.buyersChoice.premiumInvalid" })
    expect(pickSettingsOf({ premium: "20", show_first: "65", show_last: "4" }, true)).toEqual({ problem: "virtualGoods.buyersChoice.showInvalid" })
    expect(pickSettingsOf({ premium: "20", show_first: "1.5", show_last: "4" }, true)).toEqual({ problem: "virtualGoods.buyersChoice.showInvalid" })
  })

  it("shows basis points as a percentage and an example label", () => {
    expect([premiumPercentOf(2000), premiumPercentOf(1250), premiumPercentOf(1205)]).toEqual(["20", "12.5", "12.05"])
    expect(exampleLabel(3, 4)).toBe("138****5678")
  })
})
