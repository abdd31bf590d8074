import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { recordPendingAgentOrders } from "../../src/jobs/agent-order-bookkeeping"
import { runSupplierOrdersTick } from "../../src/workflows/suppliers/utils/run-supplier-orders"
import { refundSupplierOrderWorkflow } from "../../src/workflows/suppliers"
import { asAgent, createAgentWithKey, createTierPrices, settle, waitFor } from "../helpers"
import { useEnv } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"
import { startTopupSupplier, SUPPLIER_CODES, TopupSupplier } from "../helpers/topup-supplier"
import { createTopUpOffer } from "../helpers/topups"

jest.setTimeout(240_000)

// The fake supplier and the agent's webhook endpoint are on loopback; offers are read fresh on every order.
process.env.VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS = "true"
useEnv({ VIRTUAL_GOODS_ALLOW_PRIVATE_WEBHOOKS: "true", VIRTUAL_GOODS_WHOLESALE_OFFER_TTL_MS: "0" })

const PHONE = "13800138000"

/**
 * Top-ups (直充) bought by resellers through the wholesale API at their tier price: the recipient sealed before any
 * workflow, the line paid from the ledger in the order's one transaction with the commissions, submitted once with our
 * id as the supplier's order number, the agent told by its signed webhook; a definite failure gives back exactly the
 * line's share of the posting (commissions included) and its quota, once; bad input refused naming the line, nothing
 * charged or kept.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 5 })
    let fake: TopupSupplier
    let topUpVariant: string
    const codeVariant = () => store.products[0].variant_id

    beforeAll(async () => {
      fake = await startTopupSupplier()
      ;({ variantId: topUpVariant } = await createTopUpOffer(getContainer(), store, fake))
    })
    afterEach(() => {
      fake.clearFailures()
    })
    afterAll(async () => {
      await fake?.stop()
    })

    /** A tier selling the top-up at `topUp` and the codes at `codes` (USD; below the list prices, as Medusa applies the lower). */
    const tier = (name: string, topUp: number, codes: number) => createTierPrices(getContainer(), name, { [topUpVariant]: topUp, [codeVariant()]: codes })

    /** 总代 (top-ups at 9.92, codes at 8) above 门店 (9.98 and 9), the shop funded with 100 and a webhook URL. */
    async function chain() {
      const top = await createAgentWithKey(api, admin, { name: "总代", customer_group_id: await tier("T1", 9.92, 8) })
      const shop = await createAgentWithKey(api, admin, { name: "门店", parent_id: top.id, customer_group_id: await tier("T2", 9.98, 9) }, { topUp: "100" })
      await api.post(`/admin/virtual-goods/agents/${shop.id}/webhook`, { url: "http://127.0.0.1:9/hooks" }, admin)
      return { top, shop }
    }

    const balance = async (id: string) => (await api.get(`/admin/virtual-goods/agents`, admin)).data.agents.find((a: any) => a.id === id).accounts[0].balance
    const order = (key: string, items: unknown[], idempotencyKey: string) => settle(api.post(`/wholesale/orders`, { items }, asAgent(key, idempotencyKey)))
    const topUpLine = (recipient: Record<string, string> | null = { account: PHONE }, quantity = 1) => ({ variant_id: topUpVariant, quantity, ...(recipient ? { recipient } : {}) })
    const hooks = async (agentId: string) =>
      (await dbConnection.raw(`select event, payload from agent_webhook_delivery where agent_id = ? order by created_at, id`, [agentId])).rows as { event: string; payload: any }[]
    /** The agent order once its top-up reached `done(top_up)`; the reconciler's tick is run here, not awaited from the job. */
    const settled = (key: string, id: string, done: (t: any) => boolean) =>
      waitFor(async () => {
        await runSupplierOrdersTick(getContainer())
        const { data } = await api.get(`/wholesale/orders/${id}`, asAgent(key))
        const line = data.order.items.find((i: any) => i.top_up)
        return line && done(line.top_up) ? data.order : null
      }, 30_000)

    it("refuses a top-up line without its recipient, a recipient on a line of codes, and a recipient its product refuses — naming the line, nothing charged or kept", async () => {
      const { shop } = await chain()
      const missing = await order(shop.key, [topUpLine(null)], "po-bad-1")
      expect([missing.status, missing.data.message]).toEqual([400, `items[0].recipient is required: variant ${topUpVariant} is a top-up`])
      const onCodes = await order(shop.key, [topUpLine(), { variant_id: codeVariant(), quantity: 1, recipient: { account: PHONE } }], "po-bad-2")
      expect([onCodes.status, onCodes.data.message]).toEqual([400, `items[1].recipient: variant ${codeVariant()} is not a top-up: it takes no recipient`])
      const wrong = await order(shop.key, [{ variant_id: codeVariant(), quantity: 1 }, topUpLine({ account: "12345" })], "po-bad-3")
      expect(wrong.status).toBe(400)
      expect(wrong.data.message).toMatch(/^items\[1\]\.recipient\.account \(Phone number\) /)
      const unknown = await order(shop.key, [topUpLine({ account: PHONE, server: "s1" })], "po-bad-4")
      expect([unknown.status, unknown.data.message]).toEqual([400, "items[0].recipient.server is not a field of this product (fields: account)"])
      const shape = await order(shop.key, [{ variant_id: topUpVariant, quantity: 1, recipient: { account: 13800138000 } }], "po-bad-5")
      expect(shape.status).toBe(400)

      expect(await balance(shop.id)).toBe("100")
      const { rows } = await dbConnection.raw(
        `select (select count(*) from supplier_recipient)::int as recipients, (select count(*) from supplier_order)::int as orders,
                (select count(*) from agent_order where agent_id = ?)::int as agent_orders`,
        [shop.id]
      )
      expect(rows[0]).toEqual({ recipients: 0, orders: 0, agent_orders: 0 })
    })

    it("sells a top-up with codes in one order: paid with the commissions, submitted once, credited, told by webhook; replayed without a second submission", async () => {
      const { top, shop } = await chain()
      const items = [topUpLine(), { variant_id: codeVariant(), quantity: 2 }]
      const first = await order(shop.key, items, "po-topup-1")
      expect(first.status).toBe(201)
      const answered = first.data.order
      expect(answered.total).toBe("27.98")
      const [topUp, codes] = answered.items
      expect(topUp).toEqual({
        variant_id: topUpVariant,
        title: "Mobile top-up 10",
        product_title: "Mobile top-up 10",
        quantity: 1,
        unit_price: "9.98",
        top_up: expect.objectContaining({ supplier_order_id: expect.stringMatching(/^supo_/), refund_status: "none", recipient: expect.any(String) }),
      })
      expect(topUp.top_up.recipient).not.toContain(PHONE)
      expect(codes.codes).toHaveLength(2)

      const done = await settled(shop.key, answered.id, (t) => t.status === "succeeded")
      const supplierOrderId = done.items[0].top_up.supplier_order_id
      // Submitted exactly once, under our id, to the recipient given.
      expect(fake.orders().filter((o) => o.order_no === supplierOrderId).map((o) => [o.charge_account, o.quantity])).toEqual([[PHONE, 1]])
      expect(fake.creditedCount(supplierOrderId)).toBe(1)

      // Money: the shop paid 9.98 + 2 × 9; 总代 earned (9.98 - 9.92) + 2 × (9 - 8); the house the rest.
      expect(await balance(shop.id)).toBe("72.02")
      expect(await balance(top.id)).toBe("2.06")

      // The same key and body: the same order, nothing submitted again; another recipient under that key: refused.
      const replay = await order(shop.key, items, "po-topup-1")
      expect([replay.status, replay.headers["idempotent-replayed"], replay.data.order.id]).toEqual([201, "true", answered.id])
      expect(replay.data.order.items[0].top_up).toEqual(expect.objectContaining({ supplier_order_id: supplierOrderId, status: "succeeded" }))
      const other = await order(shop.key, [topUpLine({ account: "13900139000" }), { variant_id: codeVariant(), quantity: 2 }], "po-topup-1")
      expect(other.status).toBe(422)
      expect(fake.orders().filter((o) => o.order_no === supplierOrderId)).toHaveLength(1)
      expect(await balance(shop.id)).toBe("72.02")

      // The Medusa order: both lines, recorded once; the agent's list shows its own prices only.
      await recordPendingAgentOrders(getContainer())
      const { data: list } = await api.get(`/wholesale/orders`, asAgent(shop.key))
      expect(list.orders[0]).toEqual(expect.objectContaining({ id: answered.id, bookkeeping_status: "done", order_id: expect.stringMatching(/^order_/) }))
      expect(JSON.stringify(list.orders[0].items)).not.toContain("unit_prices")
      const { data: medusa } = await getContainer().resolve("query").graph({ entity: "order", fields: ["id", "items.*"], filters: { id: list.orders[0].order_id } })
      expect((medusa[0] as any).items.map((i: any) => [i.variant_id, Number(i.quantity)]).sort()).toEqual([[codeVariant(), 2], [topUpVariant, 1]].sort())

      // The agent is told, with the mask only; the number is nowhere in clear — orders, webhooks, workflow storage.
      const told = await waitFor(async () => ((await hooks(shop.id)).some((h) => h.event === "topup.succeeded") ? hooks(shop.id) : null), 20_000)
      expect(told.find((h) => h.event === "topup.succeeded")!.payload).toEqual(
        expect.objectContaining({ agent_order_id: answered.id, supplier_order_id: supplierOrderId, status: "succeeded", idempotency_key: "po-topup-1", recipient: topUp.top_up.recipient })
      )
      const { rows: leaks } = await dbConnection.raw(
        `select (select count(*) from agent_order where items::text like ?)::int as orders,
                (select count(*) from agent_webhook_delivery where payload::text like ?)::int as hooks,
                (select count(*) from supplier_order where recipient_masked like ?)::int as supplier_orders,
                (select count(*) from workflow_execution where execution::text like ? or context::text like ?)::int as executions`,
        Array(5).fill(`%${PHONE}%`)
      )
      expect(leaks[0]).toEqual({ orders: 0, hooks: 0, supplier_orders: 0, executions: 0 })
    })

    it("gives a definitely failed top-up back through the ledger, once: the line's payment and commissions reversed, its quota released, the agent told", async () => {
      const { top, shop } = await chain()
      await api.post(`/admin/virtual-goods/agents/${shop.id}/quotas`, { variant_id: topUpVariant, limit: 5, period: "month" }, admin)
      fake.definiteFailure(SUPPLIER_CODES.invalidRecipient)
      const placed = await order(shop.key, [topUpLine({ account: PHONE }, 2)], "po-topup-fail")
      expect(placed.status).toBe(201)
      expect(await balance(shop.id)).toBe("80.04")

      const failed = await settled(shop.key, placed.data.order.id, (t) => t.status === "failed" && t.refund_status === "refunded")
      const supplierOrderId = failed.items[0].top_up.supplier_order_id
      expect(failed.items[0].top_up.failure_reason).toEqual(expect.any(String))
      expect(fake.creditedCount(supplierOrderId)).toBe(0)
      expect(await balance(shop.id)).toBe("100")
      expect(await balance(top.id)).toBe("0")
      const refundLegs = async () =>
        (
          await dbConnection.raw(
            `select e.agent_id, trim_scale(e.amount)::text as amount from agent_ledger_entry e where e.kind = 'refund' and e.reference_type = 'supplier_order' and e.reference_id = ? order by e.amount`,
            [supplierOrderId]
          )
        ).rows.map((r: any) => [r.agent_id, r.amount])
      // Exactly the negation of the line's share: the shop gets 19.96, 总代 gives back 2 × 0.06, the house 2 × 9.92.
      expect(await refundLegs()).toEqual([[null, "-19.84"], [top.id, "-0.12"], [shop.id, "19.96"]])
      const { data: quotas } = await api.get(`/admin/virtual-goods/agents/${shop.id}/quotas`, admin)
      expect(quotas.quotas.find((q: any) => q.variant_id === topUpVariant)).toEqual(expect.objectContaining({ used: 0, remaining: 5 }))

      // Again — the reconciler, an admin's retake of the refund: nothing more is given back.
      await runSupplierOrdersTick(getContainer())
      await refundSupplierOrderWorkflow(getContainer()).run({ input: { supplier_order_id: supplierOrderId, retake: true } })
      expect(await refundLegs()).toHaveLength(3)
      expect(await balance(shop.id)).toBe("100")

      // Money: what the shop paid = delivered (nothing) + refunded.
      const { rows: money } = await dbConnection.raw(
        `select trim_scale(coalesce(sum(-amount) filter (where kind = 'purchase'), 0))::text as paid,
                trim_scale(coalesce(sum(amount) filter (where kind = 'refund'), 0))::text as refunded
           from agent_ledger_entry where agent_id = ?`,
        [shop.id]
      )
      expect(money[0]).toEqual({ paid: "19.96", refunded: "19.96" })

      const told = await waitFor(async () => {
        const all = await hooks(shop.id)
        return all.some((h) => h.event === "topup.refunded") && all.some((h) => h.event === "topup.failed") ? all : null
      }, 20_000)
      expect(told.find((h) => h.event === "topup.refunded")!.payload).toEqual(
        expect.objectContaining({ agent_order_id: placed.data.order.id, supplier_order_id: supplierOrderId, amount: "19.96", currency_code: "usd", quantity: 2, status: "refunded" })
      )
      // A top-up-only order is recorded in Medusa too (nothing for the vault to deliver).
      await recordPendingAgentOrders(getContainer())
      const { data: after } = await api.get(`/wholesale/orders/${placed.data.order.id}`, asAgent(shop.key))
      expect(after.order.bookkeeping_status).toBe("done")
    })

    it("refuses a top-up the supplier now charges more for than the agent pays — nothing charged, nothing kept", async () => {
      const { shop } = await chain()
      await dbConnection.raw(`update supplier_product set unit_cost = 9.99, raw_unit_cost = '{"value":"9.99","precision":20}' where kind = 'topup'`)
      const refused = await order(shop.key, [topUpLine()], "po-topup-price")
      expect([refused.status, refused.data.message]).toEqual([400, `items[0]: the top-up "Mobile top-up 10" is not available at this price now`])
      expect(await balance(shop.id)).toBe("100")
      const { rows } = await dbConnection.raw(`select (select count(*) from supplier_recipient)::int as recipients, (select count(*) from supplier_order)::int as orders`)
      expect(rows[0]).toEqual({ recipients: 0, orders: 0 })
    })
  },
})
