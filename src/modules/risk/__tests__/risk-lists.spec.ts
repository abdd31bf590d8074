import path from "path"
import { moduleIntegrationTestRunner } from "@medusajs/test-utils"
import { RISK_MODULE } from ".."
import RiskModuleService from "../service"

jest.setTimeout(120_000)

type SqlRow = Record<string, unknown>

/**
 * The lists the plugin keeps itself (disputed payments): one rule per key and list type, created on first use,
 * values appended once and normalized — under concurrency too — and applied by `assess` like any list.
 */
moduleIntegrationTestRunner<RiskModuleService>({
  moduleName: RISK_MODULE,
  resolve: path.join(__dirname, ".."),
  pathToMigrations: path.join(__dirname, "../migrations"),
  moduleOptions: { redis_url: null },
  testSuite: ({ service, MikroOrmWrapper }) => {
    const sql = (q: string, p: unknown[] = []) => MikroOrmWrapper.getManager().getConnection().execute(q, p) as Promise<SqlRow[]>
    const systemRules = (key: string, listType: string) =>
      sql(
        `select id, name, kind, key, list_type, "values", action, applies_to, enabled, is_system, value_reasons
           from risk_rule where key = ? and list_type = ? and is_system and deleted_at is null`,
        [key, listType]
      )

    it("creates the list on first use, normalizes the value, appends only what is absent, and keeps the first reason", async () => {
      const id = await service.addToRiskList({ key: "email", value: "  Buyer@Example.COM ", list_type: "block", reason: "dispute dp_1 on order_1" })
      expect(id).toMatch(/^rrule_/)
      const [created] = await systemRules("email", "block")
      expect(created).toEqual({
        id,
        name: "Disputed payments (email)",
        kind: "list",
        key: "email",
        list_type: "block",
        values: ["buyer@example.com"],
        action: "block",
        applies_to: "all",
        enabled: true,
        is_system: true,
        value_reasons: { "buyer@example.com": { reason: "dispute dp_1 on order_1", added_at: expect.any(String) } },
      })

      // The same value again (another case): the same rule, nothing added, the first reason kept.
      expect(await service.addToRiskList({ key: "email", value: "buyer@example.com", list_type: "block", reason: "dispute dp_2" })).toBe(id)
      const [same] = await systemRules("email", "block")
      expect(same.values).toEqual(["buyer@example.com"])
      expect(same.value_reasons).toEqual(created.value_reasons)

      expect(await service.addToRiskList({ key: "email", value: "Other@example.com", list_type: "block", reason: "dispute dp_3" })).toBe(id)
      const [more] = await systemRules("email", "block")
      expect(more.values).toEqual(["buyer@example.com", "other@example.com"])
      expect(Object.keys(more.value_reasons as object).sort()).toEqual(["buyer@example.com", "other@example.com"])

      // Review lists and other keys are other rules.
      const review = await service.addToRiskList({ key: "card_fingerprint", value: "Xt5EWLLDS7FJjR1c", list_type: "review", reason: "dispute dp_1" })
      expect(review).not.toBe(id)
      expect(await systemRules("card_fingerprint", "review")).toEqual([
        expect.objectContaining({ id: review, name: "Disputed payments: review (card_fingerprint)", action: "review", values: ["Xt5EWLLDS7FJjR1c"] }),
      ])

      // Applied by assess like any list: the block list blocks, the review list sends to review.
      const blocked = await service.assess({ subject_type: "cart", subject_id: "cart_l1", facts: { channel: "store", email: "OTHER@example.com", amount: 10, quantity: 1 } })
      expect([blocked.action, blocked.reasons]).toEqual([
        "block",
        [{ rule_id: id, rule: "Disputed payments (email)", action: "block", message: "email other@example.com is on the block list" }],
      ])
      const reviewed = await service.assess({
        subject_type: "cart",
        subject_id: "cart_l2",
        facts: { channel: "store", email: "new@example.com", card_fingerprint: "Xt5EWLLDS7FJjR1c", amount: 10, quantity: 1 },
      })
      expect([reviewed.action, reviewed.reasons.map((r) => r.message)]).toEqual(["review", ["card_fingerprint Xt5EWLLDS7FJjR1c is on the review list"]])
    })

    it("two disputes at once make one list and lose no value", async () => {
      const values = Array.from({ length: 20 }, (_, i) => `cus_dispute_${i}`)
      const ids = await Promise.all(
        [...values, ...values.slice(0, 5)].map((value, i) => service.addToRiskList({ key: "customer", value, list_type: "block", reason: `dispute dp_c${i}` }))
      )
      expect(new Set(ids).size).toBe(1)
      const rules = await systemRules("customer", "block")
      expect(rules).toHaveLength(1)
      expect(rules[0].id).toBe(ids[0])
      expect([...(rules[0].values as string[])].sort()).toEqual([...values].sort())
      expect(Object.keys(rules[0].value_reasons as object).sort()).toEqual([...values].sort())

      // The very first use, raced: two calls for a list that does not exist yet.
      const [a, b] = await Promise.all([
        service.addToRiskList({ key: "device", value: "dev_a", list_type: "review", reason: "dispute dp_a" }),
        service.addToRiskList({ key: "device", value: "dev_b", list_type: "review", reason: "dispute dp_b" }),
      ])
      expect(a).toBe(b)
      const [device] = await systemRules("device", "review")
      expect([...(device.values as string[])].sort()).toEqual(["dev_a", "dev_b"])
    })

    it("refuses bad input, keeps an admin's choices, and starts a new list after the old one was removed", async () => {
      const refused = async (input: Parameters<RiskModuleService["addToRiskList"]>[0]) => {
        const e = await service.addToRiskList(input).catch((err) => err)
        return [e.type, e.message]
      }
      expect(await refused({ key: "email", value: "not-an-email", list_type: "block", reason: "x" })).toEqual([
        "invalid_data",
        'value is not an email address: "not-an-email"',
      ])
      expect(await refused({ key: "ip", value: " ", list_type: "block", reason: "x" })).toEqual(["invalid_data", "value is empty"])
      expect(await refused({ key: "ip", value: "203.0.113.9", list_type: "allow" as "block", reason: "x" })).toEqual([
        "invalid_data",
        "list_type must be block or review",
      ])
      expect(await refused({ key: "ip", value: "203.0.113.9", list_type: "block", reason: " " })).toEqual(["invalid_data", "reason is required"])
      expect(await sql(`select id from risk_rule where key = 'ip'`)).toEqual([])

      const id = await service.addToRiskList({ key: "ip", value: "203.0.113.9", list_type: "block", reason: "dispute dp_i" })
      // An admin may disable it or edit its entries, not turn it into another list.
      const moved = await service.updateRule({ id, key: "email" }).catch((err) => err)
      expect([moved.type, moved.message]).toEqual([
        "not_allowed",
        'key of "Disputed payments (ip)" cannot change: the plugin keeps this list (its entries, name, action and whether it is enabled can)',
      ])
      await service.updateRule({ id, enabled: false })
      expect(await service.addToRiskList({ key: "ip", value: "198.51.100.4", list_type: "block", reason: "dispute dp_j" })).toBe(id)
      const [disabled] = await systemRules("ip", "block")
      expect([disabled.enabled, disabled.values]).toEqual([false, ["203.0.113.9", "198.51.100.4"]])

      await service.softDeleteRiskRules([id])
      const fresh = await service.addToRiskList({ key: "ip", value: "198.51.100.4", list_type: "block", reason: "dispute dp_k" })
      expect(fresh).not.toBe(id)
      expect(await systemRules("ip", "block")).toEqual([expect.objectContaining({ id: fresh, enabled: true, values: ["198.51.100.4"] })])
    })

    it("stores radar rules (the new kind, key and list type pass the table's checks) and assess applies them", async () => {
      const { id } = await service.createRule({ name: "Radar", kind: "radar", threshold: 70, values: [" highest "], action: "review" })
      const [stored] = await sql(`select kind, threshold::text as threshold, "values" from risk_rule where id = ?`, [id])
      expect(stored).toEqual({ kind: "radar", threshold: "70", values: ["highest"] })
      const bad = await service.createRule({ name: "Radar", kind: "radar", values: ["high"] }).catch((e) => e)
      expect([bad.type, bad.message]).toEqual(["invalid_data", 'values[0] is not a Radar risk level (normal, elevated, highest or not_assessed): "high"'])
      const assess = (subject_id: string, facts: { radar_risk_level?: "normal" | "elevated" | "highest" | "not_assessed" | null; radar_risk_score?: number | null }) =>
        service.assess({ subject_type: "cart", subject_id, facts: { channel: "store", amount: 10, quantity: 1, ...facts } })
      expect((await assess("cart_r1", { radar_risk_level: "elevated", radar_risk_score: 71 })).reasons).toEqual([
        { rule_id: id, rule: "Radar", action: "review", message: "Radar risk score 71 is above 70" },
      ])
      expect((await assess("cart_r2", { radar_risk_level: "highest", radar_risk_score: null })).action).toBe("review")
      expect((await assess("cart_r3", { radar_risk_level: "normal", radar_risk_score: 12 })).action).toBe("allow")
      expect((await assess("cart_r4", {})).action).toBe("allow")
      await expect(sql(`update risk_rule set kind = 'magic' where id = ?`, [id])).rejects.toThrow("risk_rule_kind_check")
    })
  },
})
