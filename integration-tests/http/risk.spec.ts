import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { MedusaError, Modules } from "@medusajs/framework/utils"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { recordPendingAgentOrders } from "../../src/jobs/agent-order-bookkeeping"
import { runOrderDelivery } from "../../src/workflows/virtual-goods/utils/run-order-delivery"
import { registerCheckoutCheck } from "../../src/workflows/virtual-goods/steps/run-registered-checkout-checks"
import { checkVirtualGoodsCheckoutWorkflow } from "../../src/workflows/virtual-goods/workflows/check-virtual-goods-checkout"
import {
  assertVaultInvariants,
  poolCounts,
  prepareCart,
  settle,
  storeHeaders,
  waitFor,
  waitForDelivery,
  createAgentWithKey,
} from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"

jest.setTimeout(300_000)
useEnv({ VIRTUAL_GOODS_TRUSTED_PROXIES: undefined })

/**
 * Risk control at checkout: rules managed through the admin API, a burst from one IP held for review (a forged
 * X-Forwarded-For changes nothing), held orders that no retry, sweep or payment event releases, approval that
 * delivers once, rejection that refunds and restocks, blocks that place no order — all in the audit log.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 20, eachTest: true })
    const youku = () => store.products[0]

    /** A guest checkout of `quantity` codes, completed with a forged X-Forwarded-For. */
    async function checkout(email: string, quantity = 1) {
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity }], { email })
      const forged = `198.51.100.${Math.floor(Math.random() * 250) + 1}`
      return settle(api.post(`/store/carts/${cart.id}/complete`, {}, { headers: { ...storeHeaders(store), "x-forwarded-for": forged, "x-device-id": "dev-42" } }))
    }
    const codesOf = async (orderId: string) => (await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)).data
    const auditOf = async (orderId: string) =>
      (await dbConnection.raw(`select action, actor_type, reason from card_audit_log where order_id = ? and action like 'risk_%' order by created_at`, [orderId])).rows

    it("manages rules and refuses malformed ones with the field named", async () => {
      const { data: created } = await api.post(`/admin/virtual-goods/risk/rules`, { name: "Burst per IP", kind: "velocity", key: "ip", measure: "count", window_seconds: 600, threshold: 2, action: "review" }, admin)
      expect(created.risk_rule).toEqual(expect.objectContaining({ id: expect.stringMatching(/^rrule_/), kind: "velocity", threshold: 2, enabled: true, applies_to: "all" }))
      const bad = await settle(api.post(`/admin/virtual-goods/risk/rules`, { name: "x", kind: "list", key: "ip", list_type: "block", values: ["10.0.0.0/8", "nope"] }, admin))
      expect([bad.status, bad.data.message]).toEqual([400, 'values[1] is not an IP address or CIDR: "nope"'])
      const { data: updated } = await api.post(`/admin/virtual-goods/risk/rules/${created.risk_rule.id}`, { enabled: false, threshold: 5 }, admin)
      expect(updated.risk_rule).toEqual(expect.objectContaining({ enabled: false, threshold: 5, window_seconds: 600 }))
      const worse = await settle(api.post(`/admin/virtual-goods/risk/rules/${created.risk_rule.id}`, { window_seconds: 0 }, admin))
      expect([worse.status, worse.data.message]).toEqual([400, "window_seconds must be a whole number of seconds between 1 and 2678400"])
      await api.delete(`/admin/virtual-goods/risk/rules/${created.risk_rule.id}`, admin)
      expect((await api.get(`/admin/virtual-goods/risk/rules`, admin)).data.risk_rules).toEqual([])
    })

    it("a burst from one IP is held after the threshold; retries, the sweep and payment events never release it; approval delivers once", async () => {
      await api.post(`/admin/virtual-goods/risk/rules`, { name: "Burst per IP", kind: "velocity", key: "ip", measure: "count", window_seconds: 600, threshold: 2, action: "review" }, admin)
      const first = await checkout("a@example.com")
      const second = await checkout("b@example.com")
      await waitForDelivery(api, getContainer(), admin, first.data.order.id, 1)
      await waitForDelivery(api, getContainer(), admin, second.data.order.id, 1)

      // The third from the same socket address (whatever X-Forwarded-For claims): placed and paid, codes held.
      const third = await checkout("c@example.com", 2)
      expect(third.status).toBe(200)
      const orderId = third.data.order.id
      const queue = await waitFor(async () => {
        const { data } = await api.get(`/admin/virtual-goods/risk/decisions?review_status=pending`, admin)
        return data.risk_decisions.find((d: any) => d.order_id === orderId)
      })
      expect(queue).toEqual(
        expect.objectContaining({
          action: "review",
          review_status: "pending",
          reasons: [{ rule_id: expect.any(String), rule: "Burst per IP", action: "review", message: "3 orders from ip 127.0.0.1 in 600 s (limit 2)" }],
          facts: expect.objectContaining({ ip: "127.0.0.1", device_id: "dev-42", email: "c@example.com", quantity: 2, amount: 30 }),
        })
      )
      const { rows: payments } = await dbConnection.raw(
        `select pc.captured_amount::float as captured from order_payment_collection opc join payment_collection pc on pc.id = opc.payment_collection_id where opc.order_id = ?`,
        [orderId]
      )
      expect(payments[0].captured).toBe(30)
      const held = async () => {
        const codes = await codesOf(orderId)
        expect(codes.card_codes.filter((c: any) => c.status === "delivered")).toHaveLength(0)
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ reserved: 2, delivered: 2 }))
      }
      await held()
      // What the shopper's confirmation page follows.
      const statusOf = async (id: string) => (await api.get(`/store/virtual-goods/order-status/${id}`, { headers: storeHeaders(store) })).data
      expect(await statusOf(orderId)).toEqual({ order_id: orderId, display_id: expect.any(Number), status: "held", codes_delivered: 0 })
      expect((await runOrderDelivery(getContainer(), orderId))?.status).toBe("held_for_review")
      expect((await runOrderDelivery(getContainer(), orderId, { skip_if_delivered: true }))?.status).toBe("held_for_review")
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '1 hour' where status = 'reserved'`)
      await sweepVirtualGoods(getContainer())
      await held()
      expect(await auditOf(orderId)).toEqual([{ action: "risk_hold", actor_type: "system", reason: "Burst per IP: 3 orders from ip 127.0.0.1 in 600 s (limit 2)" }])

      // Approval races with deliveries started by events and the sweep: one delivery, one fulfillment (the approval's
      // delivery runs inside its workflow and must hold the order's lock like every other).
      const [approval] = await Promise.all([
        settle(api.post(`/admin/virtual-goods/risk/decisions/${queue.id}/approve`, { note: "known reseller" }, admin)),
        ...Array.from({ length: 4 }, () => runOrderDelivery(getContainer(), orderId)),
      ])
      expect(approval.status).toBe(200)
      expect(approval.data.risk_decision).toEqual(expect.objectContaining({ review_status: "approved", reviewed_by: admin.user.id, review_note: "known reseller" }))
      const delivered = await waitForDelivery(api, getContainer(), admin, orderId, 2)
      expect(await statusOf(orderId)).toEqual(expect.objectContaining({ status: "delivered", codes_delivered: 2 }))
      const { rows: fulfillments } = await dbConnection.raw(
        `select count(*)::int as n from order_fulfillment ofl join fulfillment f on f.id = ofl.fulfillment_id where ofl.order_id = ? and f.canceled_at is null`,
        [orderId]
      )
      expect(fulfillments[0].n).toBe(1)
      const ids = delivered.card_codes.map((c: any) => c.id).sort()
      const again = await settle(api.post(`/admin/virtual-goods/risk/decisions/${queue.id}/approve`, {}, admin))
      expect([again.status, again.data.message]).toEqual([400, `Risk decision ${queue.id} is not awaiting review (approved)`])
      await runOrderDelivery(getContainer(), orderId)
      expect((await codesOf(orderId)).card_codes.map((c: any) => c.id).sort()).toEqual(ids)
      expect((await auditOf(orderId)).map((r: any) => [r.action, r.actor_type, r.reason])).toEqual([
        ["risk_hold", "system", "Burst per IP: 3 orders from ip 127.0.0.1 in 600 s (limit 2)"],
        ["risk_approve", "user", "known reseller"],
      ])
      await assertVaultInvariants(dbConnection, youku().pool_id, 20)
    })

    it("rejection refunds the payment, returns the codes to stock and tells the customer", async () => {
      await api.post(`/admin/virtual-goods/risk/rules`, { name: "Big first order", kind: "first_purchase", measure: "quantity", threshold: 2, action: "review" }, admin)
      const res = await checkout("new.buyer@example.com", 3)
      const orderId = res.data.order.id
      const decision = await waitFor(async () => (await api.get(`/admin/virtual-goods/risk/decisions?order_id=${orderId}`, admin)).data.risk_decisions[0])
      expect(decision.reasons[0].message).toBe("a first purchase of 3 codes, above 2")
      const noNote = await settle(api.post(`/admin/virtual-goods/risk/decisions/${decision.id}/reject`, {}, admin))
      expect(noNote.status).toBe(400)
      await api.post(`/admin/virtual-goods/risk/decisions/${decision.id}/reject`, { note: "stolen card pattern" }, admin)

      const { rows } = await dbConnection.raw(
        `select o.status, pc.refunded_amount::float as refunded from "order" o join order_payment_collection opc on opc.order_id = o.id
           join payment_collection pc on pc.id = opc.payment_collection_id where o.id = ?`,
        [orderId]
      )
      expect(rows[0]).toEqual({ status: "canceled", refunded: 45 })
      expect((await api.get(`/store/virtual-goods/order-status/${orderId}`, { headers: storeHeaders(store) })).data).toEqual(
        expect.objectContaining({ order_id: orderId, status: "refunded", codes_delivered: 0 })
      )
      const unknown = await settle(api.get(`/store/virtual-goods/order-status/order_01NOSUCHORDER0000000000000`, { headers: storeHeaders(store) }))
      expect(unknown.status).toBe(404)
      expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: 20, reserved: 0, delivered: 0 }))
      const notes = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderId })
      expect(notes.map((n: any) => n.template)).toEqual(["virtual-goods.order-rejected"])
      expect((await auditOf(orderId)).map((r: any) => [r.action, r.reason])).toEqual([
        ["risk_hold", "Big first order: a first purchase of 3 codes, above 2"],
        ["risk_reject", "stolen card pattern"],
      ])
      expect((await runOrderDelivery(getContainer(), orderId))?.status).not.toBe("delivered")
      await assertVaultInvariants(dbConnection, youku().pool_id, 20)
    })

    it("a block places no order and reserves nothing; a host app's own check can refuse too", async () => {
      await api.post(`/admin/virtual-goods/risk/rules`, { name: "Throwaway domains", kind: "list", key: "email_domain", list_type: "block", values: ["mailinator.com"] }, admin)
      const blocked = await checkout("x@Mailinator.com")
      expect([blocked.status, blocked.data.message]).toEqual([400, "This order was refused by risk control. Contact the store if you think this is a mistake."])
      const { rows } = await dbConnection.raw(`select count(*)::int as n from "order"`)
      expect(rows[0].n).toBe(0)
      expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: 20, reserved: 0 }))
      const { data } = await api.get(`/admin/virtual-goods/risk/decisions?action=block`, admin)
      expect(data.risk_decisions[0]).toEqual(expect.objectContaining({ action: "block", order_id: null, reasons: [expect.objectContaining({ message: "email_domain mailinator.com is on the block list" })] }))

      const unregister = registerCheckoutCheck(({ cart }) => {
        if (cart.email?.endsWith("@competitor.test")) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Not sold to competitors")
      })
      try {
        const refused = await checkout("spy@competitor.test")
        expect([refused.status, refused.data.message]).toEqual([400, "Not sold to competitors"])
        expect((await checkout("fine@example.com")).status).toBe(200)
      } finally {
        unregister()
      }
      expect((await checkout("spy@competitor.test")).status).toBe(200)

      // Medusa's extension point for the same: the check workflow's hook (one handler per process, so it stays).
      checkVirtualGoodsCheckoutWorkflow.hooks.checkoutCheck(({ cart }) => {
        if (cart.email?.endsWith("@hooked.test")) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "Refused by the host's hook")
      })
      const hooked = await checkout("someone@hooked.test")
      expect([hooked.status, hooked.data.message]).toEqual([400, "Refused by the host's hook"])
      expect((await checkout("other@example.com")).status).toBe(200)
    })
    it("agents' wholesale orders go through the same rules: review holds the codes until approval, block refuses", async () => {
      await api.post(`/admin/virtual-goods/risk/rules`, { name: "Big wholesale", kind: "order_quantity", threshold: 5, action: "review", applies_to: "wholesale" }, admin)
      const make = async (name: string) => {
        const { id, key } = await createAgentWithKey(api, admin, { name }, { topUp: "1000", scopes: ["orders:read", "orders:write"] })
        return { id, headers: { authorization: `Bearer ${key}` } }
      }
      const good = await make("Reviewed agent")
      const bad = await make("Blocked agent")
      await api.post(`/admin/virtual-goods/risk/rules`, { name: "Banned agent", kind: "list", key: "agent", list_type: "block", values: [bad.id] }, admin)

      // The store rule above does not apply to store checkouts.
      expect((await checkout("store@example.com", 6)).status).toBe(200)

      const placed = await api.post(`/wholesale/orders`, { items: [{ variant_id: youku().variant_id, quantity: 6 }] }, { headers: { ...good.headers, "idempotency-key": "big-1" } })
      expect(placed.status).toBe(201)
      expect(placed.data.order).toEqual(expect.objectContaining({ held_for_review: true, total: "90" }))
      expect(placed.data.order.items[0].codes).toEqual([])
      // Its Medusa order is recorded by the worker right after the answer, held like a held checkout.
      await recordPendingAgentOrders(getContainer())
      const recorded = (await api.get(`/wholesale/orders/${placed.data.order.id}`, { headers: good.headers })).data.order
      expect(recorded).toEqual(expect.objectContaining({ bookkeeping_status: "done", held_for_review: true, order_id: expect.stringMatching(/^order_/) }))
      expect(recorded.items[0].codes).toEqual([])
      const decision = (await api.get(`/admin/virtual-goods/risk/decisions?order_id=${recorded.order_id}`, admin)).data.risk_decisions[0]
      expect(decision).toEqual(expect.objectContaining({ subject_type: "agent_order", subject_id: placed.data.order.id, review_status: "pending" }))
      expect(decision.reasons[0].message).toBe("6 codes in one order, above 5")

      await api.post(`/admin/virtual-goods/agents/${good.id}/webhook`, { url: "https://93.184.216.34/hooks" }, admin)
      await api.post(`/admin/virtual-goods/risk/decisions/${decision.id}/approve`, {}, admin)
      // The agent hears that its codes can be fetched now.
      const { data: hooks } = await api.get(`/admin/virtual-goods/webhook-deliveries?agent_id=${good.id}`, admin)
      expect(hooks.deliveries.map((d: any) => [d.event, d.payload.id])).toEqual([["agent_order.delivered", placed.data.order.id]])
      const { data: after } = await api.post(`/wholesale/orders/${placed.data.order.id}/codes`, {}, { headers: good.headers })
      expect(after.order.held_for_review).toBe(false)
      expect(after.order.items[0].codes).toHaveLength(6)
      for (const c of after.order.items[0].codes) expect(c.code).toMatch(/^YOUKU-/)

      const refused = await settle(api.post(`/wholesale/orders`, { items: [{ variant_id: youku().variant_id, quantity: 1 }] }, { headers: { ...bad.headers, "idempotency-key": "b-1" } }))
      expect([refused.status, refused.data.message]).toEqual([400, "This order was refused by risk control. Contact the store if you think this is a mistake."])
      const { rows } = await dbConnection.raw(`select count(*)::int as n from agent_order where agent_id = ?`, [bad.id])
      expect(rows[0].n).toBe(0)
      expect((await api.get(`/admin/virtual-goods/agents/${bad.id}`, admin)).data.agent.accounts[0].balance).toBe("1000")
      await assertVaultInvariants(dbConnection, youku().pool_id, 20)
    })
  },
})
