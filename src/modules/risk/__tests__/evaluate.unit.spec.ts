import fc from "fast-check"
import { evaluateRisk, keyValue, listMatches, normalizeListValue, RiskFacts, RiskRuleInput, ruleProblem, velocityKeys } from "../evaluate"

const facts = (over: Partial<RiskFacts> = {}): RiskFacts => ({
  channel: "store",
  ip: "203.0.113.7",
  email: "Buyer@Example.com",
  customer_id: "cus_1",
  device_id: "dev_1",
  amount: 50,
  quantity: 2,
  first_purchase: false,
  windows: {},
  ...over,
})
const rule = (over: Partial<RiskRuleInput>): RiskRuleInput => ({ id: "r", name: "rule", kind: "order_amount", action: "review", enabled: true, ...over }) as RiskRuleInput

describe("evaluateRisk", () => {
  it("allows when nothing matches, with no reasons", () => {
    expect(evaluateRisk([rule({ threshold: 100 })], facts())).toEqual({ action: "allow", reasons: [] })
  })

  it("velocity: more than the threshold in the window, per key and measure", () => {
    const r = rule({ id: "v", name: "burst per IP", kind: "velocity", key: "ip", measure: "count", window_seconds: 600, threshold: 3 })
    expect(evaluateRisk([r], facts({ windows: { v: { count: 3, amount: 150, quantity: 6 } } })).action).toBe("allow")
    expect(evaluateRisk([r], facts({ windows: { v: { count: 4, amount: 200, quantity: 8 } } }))).toEqual({
      action: "review",
      reasons: [{ rule_id: "v", rule: "burst per IP", action: "review", message: "4 orders from ip 203.0.113.7 in 600 s (limit 3)" }],
    })
    const daily = rule({ id: "d", name: "限购 5 a day", kind: "velocity", key: "customer", measure: "quantity", window_seconds: 86400, threshold: 5, action: "block" })
    expect(evaluateRisk([daily], facts({ windows: { d: { count: 2, amount: 0, quantity: 6 } } })).reasons[0].message).toBe("6 codes from customer cus_1 in 86400 s (limit 5)")
    // No customer (a guest): a customer-keyed rule does not apply.
    expect(evaluateRisk([daily], facts({ customer_id: null, windows: {} })).action).toBe("allow")
  })

  it("order amount and quantity, first purchases", () => {
    expect(evaluateRisk([rule({ threshold: 40 })], facts()).reasons[0].message).toBe("order amount 50 is above 40")
    expect(evaluateRisk([rule({ kind: "order_quantity", threshold: 1, action: "block" })], facts()).action).toBe("block")
    const first = rule({ kind: "first_purchase", measure: "amount", threshold: 30 })
    expect(evaluateRisk([first], facts()).action).toBe("allow")
    expect(evaluateRisk([first], facts({ first_purchase: true })).reasons[0].message).toBe("a first purchase of amount 50, above 30")
  })

  it("block and allow lists: IP and CIDR, email, email domain; the allow list exempts from everything", () => {
    const block = (key: any, values: string[]) => rule({ kind: "list", list_type: "block", key, values, name: "blocked" })
    expect(evaluateRisk([block("ip", ["203.0.113.0/24"])], facts()).action).toBe("block")
    expect(evaluateRisk([block("ip", ["2001:db8::/32"])], facts({ ip: "2001:db8::5" })).action).toBe("block")
    expect(evaluateRisk([block("ip", ["198.51.100.1"])], facts()).action).toBe("allow")
    expect(evaluateRisk([block("email", ["buyer@example.com"])], facts()).action).toBe("block")
    expect(evaluateRisk([block("email_domain", ["EXAMPLE.com"])], facts()).reasons[0].message).toBe("email_domain example.com is on the block list")
    const allow = rule({ id: "vip", kind: "list", list_type: "allow", key: "customer", values: ["cus_1"], name: "VIP" })
    expect(evaluateRisk([block("ip", ["203.0.113.7"]), rule({ threshold: 1, action: "block" }), allow], facts())).toEqual({
      action: "allow",
      reasons: [{ rule_id: "vip", rule: "VIP", action: "allow", message: "customer cus_1 is on the allow list" }],
    })
  })

  it("review lists send the order to review; block lists still block; allow lists still exempt", () => {
    const list = (list_type: "block" | "allow" | "review", key: RiskRuleInput["key"], values: string[], id = list_type) =>
      rule({ id, name: `${list_type} list`, kind: "list", list_type, key, values, action: "block" })
    // The list's type decides, not the rule's action.
    expect(evaluateRisk([list("review", "email", ["BUYER@example.com "])], facts())).toEqual({
      action: "review",
      reasons: [{ rule_id: "review", rule: "review list", action: "review", message: "email buyer@example.com is on the review list" }],
    })
    expect(evaluateRisk([list("review", "email", ["other@example.com"])], facts())).toEqual({ action: "allow", reasons: [] })
    expect(evaluateRisk([list("review", "ip", ["203.0.113.0/24"]), list("block", "customer", ["cus_1"])], facts()).action).toBe("block")
    expect(evaluateRisk([list("review", "ip", ["203.0.113.0/24"]), list("allow", "customer", ["cus_1"])], facts())).toEqual({
      action: "allow",
      reasons: [{ rule_id: "allow", rule: "allow list", action: "allow", message: "customer cus_1 is on the allow list" }],
    })
  })

  it("card fingerprint lists: the same card across customers, compared exactly; no fingerprint, no match", () => {
    const block = rule({ id: "fp", name: "Disputed payments (card_fingerprint)", kind: "list", list_type: "block", key: "card_fingerprint", values: ["Xt5EWLLDS7FJjR1c"] })
    expect(keyValue("card_fingerprint", facts({ card_fingerprint: "Xt5EWLLDS7FJjR1c" }))).toBe("Xt5EWLLDS7FJjR1c")
    expect(evaluateRisk([block], facts({ customer_id: "cus_other", card_fingerprint: "Xt5EWLLDS7FJjR1c" }))).toEqual({
      action: "block",
      reasons: [{ rule_id: "fp", rule: "Disputed payments (card_fingerprint)", action: "block", message: "card_fingerprint Xt5EWLLDS7FJjR1c is on the block list" }],
    })
    // Fingerprints are case-sensitive identifiers: another case is another card.
    expect(evaluateRisk([block], facts({ card_fingerprint: "xt5ewllds7fjjr1c" })).action).toBe("allow")
    expect(evaluateRisk([block], facts({ card_fingerprint: null })).action).toBe("allow")
    expect(evaluateRisk([block], facts()).action).toBe("allow")
    const review = { ...block, list_type: "review" as const }
    expect(evaluateRisk([review], facts({ card_fingerprint: "Xt5EWLLDS7FJjR1c" })).action).toBe("review")
    // Velocity per card.
    const perCard = rule({ id: "vc", kind: "velocity", key: "card_fingerprint", measure: "count", window_seconds: 3600, threshold: 2 })
    expect([...velocityKeys([perCard], facts({ card_fingerprint: "Xt5EWLLDS7FJjR1c" })).keys()]).toEqual(["card_fingerprint:Xt5EWLLDS7FJjR1c"])
    expect(velocityKeys([perCard], facts()).size).toBe(0)
  })

  it("radar: a risk score above the threshold, or a risk level among the values; unknown Radar facts match nothing", () => {
    const byScore = rule({ id: "rs", name: "Radar score", kind: "radar", threshold: 65, action: "review" })
    expect(evaluateRisk([byScore], facts({ radar_risk_score: 66 }))).toEqual({
      action: "review",
      reasons: [{ rule_id: "rs", rule: "Radar score", action: "review", message: "Radar risk score 66 is above 65" }],
    })
    expect(evaluateRisk([byScore], facts({ radar_risk_score: 65 })).action).toBe("allow")
    expect(evaluateRisk([byScore], facts({ radar_risk_score: 0 })).action).toBe("allow")
    expect(evaluateRisk([byScore], facts({ radar_risk_score: null, radar_risk_level: "highest" })).action).toBe("allow")
    expect(evaluateRisk([byScore], facts()).action).toBe("allow")
    // Threshold 0: any assessed score above 0, never an unknown one.
    expect(evaluateRisk([{ ...byScore, threshold: 0 }], facts({ radar_risk_score: 1 })).action).toBe("review")
    expect(evaluateRisk([{ ...byScore, threshold: 0 }], facts({ radar_risk_score: null })).action).toBe("allow")

    const byLevel = rule({ id: "rl", name: "Radar level", kind: "radar", values: ["elevated", "highest"], action: "block" })
    expect(evaluateRisk([byLevel], facts({ radar_risk_level: "highest" }))).toEqual({
      action: "block",
      reasons: [{ rule_id: "rl", rule: "Radar level", action: "block", message: "Radar risk level highest is one of elevated, highest" }],
    })
    expect(evaluateRisk([byLevel], facts({ radar_risk_level: "normal", radar_risk_score: 99 })).action).toBe("allow")
    expect(evaluateRisk([byLevel], facts({ radar_risk_level: "not_assessed" })).action).toBe("allow")
    expect(evaluateRisk([byLevel], facts({ radar_risk_level: null })).action).toBe("allow")
    const notAssessed = rule({ id: "na", kind: "radar", values: ["not_assessed"], action: "review" })
    expect(evaluateRisk([notAssessed], facts({ radar_risk_level: "not_assessed" })).action).toBe("review")

    // Both set: either matches, one reason per rule.
    const both = rule({ id: "rb", name: "Radar", kind: "radar", threshold: 75, values: ["highest"], action: "block" })
    expect(evaluateRisk([both], facts({ radar_risk_level: "elevated", radar_risk_score: 80 })).reasons).toEqual([
      { rule_id: "rb", rule: "Radar", action: "block", message: "Radar risk score 80 is above 75" },
    ])
    expect(evaluateRisk([both], facts({ radar_risk_level: "highest", radar_risk_score: 80 })).reasons).toHaveLength(1)
    expect(evaluateRisk([both], facts({ radar_risk_level: "highest", radar_risk_score: null })).reasons[0].message).toBe(
      "Radar risk level highest is one of highest"
    )
    expect(evaluateRisk([both], facts({ radar_risk_level: "elevated", radar_risk_score: 20 })).action).toBe("allow")
    // An allow list exempts from radar rules too.
    const vip = rule({ id: "vip", kind: "list", list_type: "allow", key: "customer", values: ["cus_1"] })
    expect(evaluateRisk([both, vip], facts({ radar_risk_level: "highest" })).action).toBe("allow")
  })

  it("only enabled rules of the order's channel apply", () => {
    expect(evaluateRisk([rule({ threshold: 1, enabled: false })], facts()).action).toBe("allow")
    expect(evaluateRisk([rule({ threshold: 1, applies_to: "wholesale" })], facts()).action).toBe("allow")
    expect(evaluateRisk([rule({ threshold: 1, applies_to: "wholesale" })], facts({ channel: "wholesale" })).action).toBe("review")
  })

  it("property: the decision is the most severe matching action, and only matching rules give reasons", () => {
    const arbRule = fc.record({
      id: fc.uuid(),
      name: fc.string({ minLength: 1, maxLength: 8 }),
      kind: fc.constantFrom("order_amount" as const, "order_quantity" as const),
      threshold: fc.integer({ min: 0, max: 100 }),
      action: fc.constantFrom("review" as const, "block" as const),
      enabled: fc.boolean(),
    })
    fc.assert(
      fc.property(fc.array(arbRule, { maxLength: 8 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 100 }), (rules, amount, quantity) => {
        const f = facts({ amount, quantity })
        const { action, reasons } = evaluateRisk(rules as RiskRuleInput[], f)
        const matching = rules.filter((r) => r.enabled && (r.kind === "order_amount" ? amount : quantity) > r.threshold)
        expect(reasons.map((r) => r.rule_id)).toEqual(matching.map((r) => r.id))
        expect(action).toBe(matching.some((r) => r.action === "block") ? "block" : matching.length ? "review" : "allow")
      })
    )
  })

  it("property: an IPv4 address matches a CIDR exactly when its leading bits do", () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, net, prefix) => {
        const bits = (a: string) => a.split(".").reduce((n, o) => (n << 8n) | BigInt(o), 0n)
        const mask = prefix === 0 ? 0n : ((1n << 32n) - 1n) ^ ((1n << BigInt(32 - prefix)) - 1n)
        expect(listMatches("ip", ip, [`${net}/${prefix}`])).toBe((bits(ip) & mask) === (bits(net) & mask))
      })
    )
  })
})

describe("rule checks and keys", () => {
  it.each([
    [{ name: "x", kind: "velocity", measure: "count", window_seconds: 60, threshold: 3 }, "key is required for a velocity rule (ip, email, email_domain, customer, agent, device or card_fingerprint)"],
    [{ name: "x", kind: "velocity", key: "ip", measure: "count", window_seconds: 0, threshold: 3 }, "window_seconds must be a whole number of seconds between 1 and 2678400"],
    [{ name: "x", kind: "order_amount" }, "threshold must be a number ≥ 0"],
    [{ name: "x", kind: "list", key: "ip", list_type: "block", values: ["10.0.0.0/33"] }, 'values[0] is not an IP address or CIDR: "10.0.0.0/33"'],
    [{ name: "x", kind: "list", key: "email", list_type: "block", values: ["not-an-email"] }, 'values[0] is not an email address: "not-an-email"'],
    [{ name: "x", kind: "list", key: "ip", list_type: "block", values: [] }, "values must list at least one entry"],
    [{ name: "", kind: "order_amount", threshold: 1 }, "name is required"],
    [{ name: "x", kind: "magic" }, "kind must be velocity, order_amount, order_quantity, first_purchase, list or radar"],
    [{ name: "x", kind: "list", key: "ip", list_type: "watch", values: ["10.0.0.1"] }, "list_type must be block, allow or review"],
    [{ name: "x", kind: "list", key: "phone", list_type: "block", values: ["1"] }, "key must be ip, email, email_domain, customer, agent, device or card_fingerprint"],
    [{ name: "x", kind: "list", key: "card_fingerprint", list_type: "review", values: ["has space"] }, 'values[0] is not a card fingerprint: "has space"'],
    [{ name: "x", kind: "radar", action: "review" }, "a radar rule needs a threshold (a risk score from 0 to 100) or values (risk levels: normal, elevated, highest, not_assessed)"],
    [{ name: "x", kind: "radar", values: [] }, "a radar rule needs a threshold (a risk score from 0 to 100) or values (risk levels: normal, elevated, highest, not_assessed)"],
    [{ name: "x", kind: "radar", threshold: 101 }, "threshold must be a risk score from 0 to 100 for a radar rule"],
    [{ name: "x", kind: "radar", threshold: -1 }, "threshold must be a risk score from 0 to 100 for a radar rule"],
    [{ name: "x", kind: "radar", values: ["elevated", "high"] }, 'values[1] is not a Radar risk level (normal, elevated, highest or not_assessed): "high"'],
    [{ name: "x", kind: "radar", values: "highest" }, "values must list risk levels (normal, elevated, highest, not_assessed)"],
  ])("refuses %j", (r, message) => {
    expect(ruleProblem(r as any)).toBe(message)
  })

  it("accepts radar rules by score, by level or both, and review and card fingerprint lists", () => {
    expect(ruleProblem(rule({ kind: "radar", threshold: 0 }))).toBeNull()
    expect(ruleProblem(rule({ kind: "radar", threshold: 100 }))).toBeNull()
    expect(ruleProblem(rule({ kind: "radar", values: ["normal", "elevated", "highest", "not_assessed"] }))).toBeNull()
    expect(ruleProblem(rule({ kind: "radar", threshold: 70, values: ["highest"] }))).toBeNull()
    expect(ruleProblem(rule({ kind: "list", key: "email", list_type: "review", values: ["a@example.com"] }))).toBeNull()
    expect(ruleProblem(rule({ kind: "list", key: "card_fingerprint", list_type: "block", values: ["Xt5EWLLDS7FJjR1c"] }))).toBeNull()
    expect(ruleProblem(rule({ kind: "velocity", key: "card_fingerprint", measure: "count", window_seconds: 60, threshold: 1 }))).toBeNull()
  })

  it("normalizes list values as lists compare them", () => {
    expect(normalizeListValue("email", "  Buyer@Example.COM ")).toBe("buyer@example.com")
    expect(normalizeListValue("email_domain", "Example.COM")).toBe("example.com")
    expect(normalizeListValue("card_fingerprint", " Xt5EWLLDS7FJjR1c ")).toBe("Xt5EWLLDS7FJjR1c")
    expect(normalizeListValue("customer", " cus_A ")).toBe("cus_A")
  })

  it("accepts good rules and derives the counter keys", () => {
    const v = rule({ id: "a", kind: "velocity", key: "email_domain", measure: "count", window_seconds: 60, threshold: 2 })
    expect(ruleProblem(v)).toBeNull()
    expect(keyValue("email_domain", facts())).toBe("example.com")
    expect([...velocityKeys([v, { ...v, id: "b", window_seconds: 3600 }], facts()).entries()].map(([k, rs]) => [k, rs.map((r) => r.id)])).toEqual([["email_domain:example.com", ["a", "b"]]])
  })
})
