import en from "../i18n/json/en.json"
import zhCN from "../i18n/json/zhCN.json"
import { SUMMARY_COUNTERS, countQuery, eventsQuery, findingsQuery, formatMoney, providerLabelKey, riskLevelColor } from "../routes/virtual-goods/payments/lib"
import { FINDING_KINDS, FINDING_STATUSES, ORDER_PAYMENT_STATUSES, PAYMENT_EVENT_STATUSES } from "../types"

describe("payments page helpers", () => {
  describe("formatMoney", () => {
    it("shows the decimal string exactly as received, with the currency in capitals", () => {
      expect(formatMoney("1250.50", "usd")).toBe("1250.50 USD")
      expect(formatMoney("0.10", "cny")).toBe("0.10 CNY")
      expect(formatMoney("-3.5", "eur")).toBe("-3.5 EUR")
    })

    it("keeps digits a float would lose", () => {
      // 2^53 + 1 and 0.1 + 0.2's neighbour: a Number would print 9007199254740992 and 0.30000000000000004.
      expect(formatMoney("9007199254740993.01", "usd")).toBe("9007199254740993.01 USD")
      expect(formatMoney("0.30000000000000000001", "usd")).toBe("0.30000000000000000001 USD")
    })

    it("shows a number the API serialised as it is, the amount alone without a currency, and a dash without an amount", () => {
      expect(formatMoney(42, "jpy")).toBe("42 JPY")
      expect(formatMoney("12.00", null)).toBe("12.00")
      expect(formatMoney(null, "usd")).toBe("—")
      expect(formatMoney(undefined, null)).toBe("—")
      expect(formatMoney("  ", "usd")).toBe("—")
    })
  })

  describe("queries", () => {
    it("sends the findings' filters that are set, with the page", () => {
      expect(findingsQuery({ status: "open", kind: "", order_id: "" }, 0, 20)).toEqual({
        status: "open",
        kind: undefined,
        order_id: undefined,
        limit: 20,
        offset: 0,
      })
      expect(findingsQuery({ status: "", kind: "dispute", order_id: "  order_01ABC " }, 40, 20)).toEqual({
        status: undefined,
        kind: "dispute",
        order_id: "order_01ABC",
        limit: 20,
        offset: 40,
      })
    })

    it("sends the events' filters that are set, with the page", () => {
      expect(eventsQuery({ status: "", payment_intent_id: "" }, 0, 20)).toEqual({ status: undefined, payment_intent_id: undefined, limit: 20, offset: 0 })
      expect(eventsQuery({ status: "failed", payment_intent_id: " pi_123 " }, 20, 20)).toEqual({ status: "failed", payment_intent_id: "pi_123", limit: 20, offset: 20 })
    })

    it("counts open captured-without-order, every refund of either kind, and open disputes, one row per query", () => {
      expect(SUMMARY_COUNTERS.map((c) => [c.key, c.queries.map(countQuery)])).toEqual([
        ["capturedWithoutOrder", [{ status: "open", kind: "captured_without_order", limit: 1, offset: 0 }]],
        [
          "refunds",
          [
            { kind: "refunded_automatically", limit: 1, offset: 0 },
            { kind: "refunded_in_stripe", limit: 1, offset: 0 },
          ],
        ],
        ["disputesOpen", [{ status: "open", kind: "dispute", limit: 1, offset: 0 }]],
      ])
    })
  })

  it("names the plugin's Stripe providers and the system one, and no other", () => {
    expect(providerLabelKey("pp_stripe_stripe")).toBe("stripe")
    expect(providerLabelKey("pp_stripe-alipay_stripe")).toBe("stripeAlipay")
    expect(providerLabelKey("pp_stripe-wechat-pay_stripe")).toBe("stripeWechatPay")
    expect(providerLabelKey("pp_system_default")).toBe("system")
    expect(providerLabelKey("pp_paypal_paypal")).toBeNull()
  })

  it("colours Radar's risk levels", () => {
    expect(["normal", "elevated", "highest", "not_assessed", null].map(riskLevelColor)).toEqual(["green", "orange", "red", "grey", "grey"])
  })

  it("has an English and a Chinese label for every kind, status, provider, counter and risk level", () => {
    for (const [lang, labels] of [
      ["en", en.virtualGoods.payments],
      ["zhCN", zhCN.virtualGoods.payments],
    ] as const) {
      const missing = [
        ...FINDING_KINDS.filter((k) => !labels.kinds[k]).map((k) => `kinds.${k}`),
        ...FINDING_STATUSES.filter((s) => !labels.findingStatus[s]).map((s) => `findingStatus.${s}`),
        ...PAYMENT_EVENT_STATUSES.filter((s) => !labels.events.status[s]).map((s) => `events.status.${s}`),
        ...ORDER_PAYMENT_STATUSES.filter((s) => !labels.paymentStatus[s]).map((s) => `paymentStatus.${s}`),
        ...SUMMARY_COUNTERS.filter((c) => !labels.summary[c.key]).map((c) => `summary.${c.key}`),
        ...["pp_stripe_stripe", "pp_stripe-alipay_stripe", "pp_stripe-wechat-pay_stripe", "pp_system_default"]
          .map((id) => providerLabelKey(id) ?? id)
          .filter((k) => !(k in labels.provider))
          .map((k) => `provider.${k}`),
        ...["normal", "elevated", "highest", "not_assessed"].filter((l) => !(l in labels.riskLevel)).map((l) => `riskLevel.${l}`),
      ]
      expect([lang, missing]).toEqual([lang, []])
    }
  })
})
