import en from "../i18n/json/en.json"
import zhCN from "../i18n/json/zhCN.json"
import { sharedCodesInputOf } from "../lib/shared-codes"

describe("the shared codes form", () => {
  it("takes one code per line, a tab before an optional password, and a blank limit as unlimited", () => {
    expect(sharedCodesInputOf("family@stream.test\ts3cret, pass\n\n  https://course.test/join?a=1, b  \r\n", "")).toEqual({
      input: {
        codes: [{ code: "family@stream.test", password: "s3cret, pass" }, { code: "https://course.test/join?a=1, b" }],
        sale_limit: null,
      },
    })
    expect(sharedCodesInputOf("A", " 5 ")).toEqual({ input: { codes: [{ code: "A" }], sale_limit: 5 } })
  })

  it("names the problem in words both languages have", () => {
    for (const [text, limit, key] of [
      [" \n ", "3", "virtualGoods.sharedCodes.codesRequired"],
      ["A", "0", "virtualGoods.sharedCodes.limitInvalid"],
      ["A", "2.5", "virtualGoods.sharedCodes.limitInvalid"],
      ["A", "1000001", "virtualGoods.sharedCodes.limitInvalid"],
      ["A", "-1", "virtualGoods.sharedCodes.limitInvalid"],
    ]) {
      expect(sharedCodesInputOf(text, limit)).toEqual({ problem: { key } })
      const leaf = (dict: Record<string, any>) => key.split(".").reduce((o, k) => o?.[k], dict)
      expect([key, typeof leaf(en), typeof leaf(zhCN)]).toEqual([key, "string", "string"])
    }
  })
})
