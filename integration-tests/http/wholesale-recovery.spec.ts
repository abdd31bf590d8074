import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { createOrderWorkflow } from "@medusajs/medusa/core-flows"
import { createHash } from "crypto"
import { recoverInterruptedAgentOrders as agentOrderRecoveryJob } from "../../src/jobs/agent-order-recovery"
import { recordPendingAgentOrders } from "../../src/jobs/agent-order-bookkeeping"
import { AGENTS_MODULE } from "../../src/modules/agents"
import type AgentsModuleService from "../../src/modules/agents/service"
import { CARD_VAULT_MODULE } from "../../src/modules/card-vault"
import type CardVaultModuleService from "../../src/modules/card-vault/service"
import { assertVaultInvariants, createVirtualStore, poolCounts, asAgent, createAgentWithKey } from "../helpers"
import { useAdmin } from "../helpers/fixtures"

jest.setTimeout(300_000)

/**
 * A wholesale request of an earlier version of the plugin (which placed the Medusa order inside the request, step by
 * step) cut off by a crash leaves its agent order `processing` with whatever its steps did. The recovery
 * job finishes it when the codes reached the Medusa order, and otherwise takes everything back and frees the key.
 * The crashes are reproduced by doing a request's first steps by hand (what the workflow's steps call) and stopping.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const admin = useAdmin({ api, getContainer })
    const agentsModule = () => getContainer().resolve(AGENTS_MODULE) as AgentsModuleService
    const vault = () => getContainer().resolve(CARD_VAULT_MODULE) as CardVaultModuleService
    const agent = (name: string, topUp: string) => createAgentWithKey(api, admin, { name }, { topUp, scopes: ["orders:read", "orders:write"] })
    const balance = async (id: string) => (await agentsModule().accountOf(id, "usd")).balance
    const hashOf = (body: unknown) => createHash("sha256").update(JSON.stringify(body)).digest("hex")
    const backdate = (id: string) => dbConnection.raw(`update agent_order set updated_at = now() - interval '11 minutes' where id = ?`, [id])

    /** The first steps of a request for `quantity` codes at 15 USD, up to the ledger posting; then the "crash". */
    async function cutOffAfterPosting(shop: { id: string }, variantId: string, poolId: string, key: string, quantity: number) {
      const body = { items: [{ variant_id: variantId, quantity }] }
      const begun = await agentsModule().beginOrder({ agent_id: shop.id, idempotency_key: key, request_hash: hashOf(body) })
      await agentsModule().recordOrderProgress(begun.id, {
        items: [{ variant_id: variantId, pool_id: poolId, quantity, unit_price: "15", title: "t", product_title: "p" }],
        agent_chain: [shop.id],
        currency_code: "usd",
      })
      await agentsModule().consumeQuota({ agent_id: shop.id, variant_id: variantId, quantity })
      await agentsModule().recordOrderProgress(begun.id, { quota_consumed: [{ agent_id: shop.id, variant_id: variantId, quantity }] })
      await vault().reserveForCart({ cart_id: `wholesale:${begun.id}`, items: [{ pool_id: poolId, quantity }] })
      const posted = await agentsModule().postPurchase({
        buyer_agent_id: shop.id,
        currency_code: "usd",
        quantity,
        unit_prices: { [shop.id]: "15" },
        reference_type: "agent_order",
        reference_id: begun.id,
        actor: { type: "agent", id: shop.id },
      })
      await agentsModule().recordOrderProgress(begun.id, { transaction_id: posted.transaction_id, total: posted.total })
      return { id: begun.id, body }
    }

    it("undoes a request cut off after its debit: codes, money and quota back, a refund posting, the key free again", async () => {
      const store = await createVirtualStore(getContainer(), 10)
      const { variant_id, pool_id } = store.products[0]
      const shop = await agent("Crashed", "100")
      await api.post(`/admin/virtual-goods/agents/${shop.id}/quotas`, { variant_id, limit: 5 }, admin)
      const cut = await cutOffAfterPosting(shop, variant_id, pool_id, "crash-1", 3)
      expect(await balance(shop.id)).toBe("55")
      expect((await api.post(`/wholesale/orders`, cut.body, asAgent(shop.key, "crash-1")).catch((e: any) => e.response)).status).toBe(409)

      // Not stale yet: left alone.
      expect(await agentOrderRecoveryJob(getContainer())).toEqual([])
      await backdate(cut.id)
      expect(await agentOrderRecoveryJob(getContainer())).toEqual([{ agent_order_id: cut.id, action: "undo" }])

      expect(await balance(shop.id)).toBe("100")
      const { rows: entries } = await dbConnection.raw(
        `select kind, trim_scale(amount)::text as amount, note from agent_ledger_entry where agent_id = ? order by created_at, id`,
        [shop.id]
      )
      expect(entries).toEqual([
        { kind: "topup", amount: "100", note: null },
        { kind: "purchase", amount: "-45", note: null },
        { kind: "refund", amount: "45", note: "wholesale request interrupted" },
      ])
      expect((await api.get(`/admin/virtual-goods/agents/${shop.id}/quotas`, admin)).data.quotas[0].used).toBe(0)
      expect(await poolCounts(dbConnection, pool_id)).toEqual(expect.objectContaining({ available: 10, reserved: 0 }))
      // The key works again, for a real order this time.
      const retried = await api.post(`/wholesale/orders`, cut.body, asAgent(shop.key, "crash-1"))
      expect(retried.status).toBe(201)
      expect(await balance(shop.id)).toBe("55")
      await assertVaultInvariants(dbConnection, pool_id, 10)
      // A second run finds nothing to do.
      await dbConnection.raw(`update agent_order set updated_at = now() - interval '11 minutes'`)
      expect(await agentOrderRecoveryJob(getContainer())).toEqual([])
    })

    it("cancels the Medusa order of a request cut off before payment, and takes the rest back", async () => {
      const store = await createVirtualStore(getContainer(), 10)
      const { variant_id, pool_id } = store.products[0]
      const shop = await agent("Crashed later", "100")
      const cut = await cutOffAfterPosting(shop, variant_id, pool_id, "crash-2", 2)
      const { result: order } = await createOrderWorkflow(getContainer()).run({
        input: {
          region_id: store.region_id,
          sales_channel_id: store.sales_channel_id,
          currency_code: "usd",
          items: [{ variant_id, quantity: 2, title: "Youku", unit_price: 15, is_tax_inclusive: true, requires_shipping: false }],
        } as any,
      })
      await agentsModule().recordOrderProgress(cut.id, { order_id: order.id })
      await backdate(cut.id)
      expect(await agentOrderRecoveryJob(getContainer())).toEqual([{ agent_order_id: cut.id, action: "undo" }])

      const { rows } = await dbConnection.raw(`select status from "order" where id = ?`, [order.id])
      expect(rows[0].status).toBe("canceled")
      expect(await balance(shop.id)).toBe("100")
      expect(await poolCounts(dbConnection, pool_id)).toEqual(expect.objectContaining({ available: 10, reserved: 0 }))
      const { rows: left } = await dbConnection.raw(`select count(*)::int as n from agent_order where id = ?`, [cut.id])
      expect(left[0].n).toBe(0)
    })

    it("finishes a request cut off after its codes were delivered: completed, linked, webhook queued, replay answers", async () => {
      const store = await createVirtualStore(getContainer(), 10)
      const { variant_id, pool_id } = store.products[0]
      const shop = await agent("Almost", "100")
      await api.post(`/admin/virtual-goods/agents/${shop.id}/webhook`, { url: "https://93.184.216.34/hooks" }, admin)
      const first = await api.post(`/wholesale/orders`, { items: [{ variant_id, quantity: 2 }] }, asAgent(shop.key, "crash-3"))
      const id = first.data.order.id
      await recordPendingAgentOrders(getContainer())
      const { rows: recorded } = await dbConnection.raw(`select order_id from agent_order where id = ?`, [id])
      // As an earlier version left it, cut off after delivery: the completion, the link and the webhook never happened.
      await dbConnection.raw(`update agent_order set status = 'processing', completed_at = null where id = ?`, [id])
      await dbConnection.raw(`delete from agents_agent_order_order_order where agent_order_id = ?`, [id])
      await dbConnection.raw(`delete from agent_webhook_delivery`)
      expect((await api.post(`/wholesale/orders`, { items: [{ variant_id, quantity: 2 }] }, asAgent(shop.key, "crash-3")).catch((e: any) => e.response)).status).toBe(409)
      await backdate(id)
      expect(await agentOrderRecoveryJob(getContainer())).toEqual([{ agent_order_id: id, action: "complete" }])

      const { rows } = await dbConnection.raw(`select status, order_id from agent_order where id = ?`, [id])
      expect(rows[0]).toEqual({ status: "completed", order_id: recorded[0].order_id })
      const { rows: links } = await dbConnection.raw(`select count(*)::int as n from agents_agent_order_order_order where agent_order_id = ? and deleted_at is null`, [id])
      expect(links[0].n).toBe(1)
      const { rows: hooks } = await dbConnection.raw(`select event, payload->>'id' as id from agent_webhook_delivery`)
      expect(hooks).toEqual([{ event: "agent_order.completed", id }])
      const replay = await api.post(`/wholesale/orders`, { items: [{ variant_id, quantity: 2 }] }, asAgent(shop.key, "crash-3"))
      expect(replay.data.order.items[0].codes.map((c: any) => c.code)).toEqual(first.data.order.items[0].codes.map((c: any) => c.code))
      expect(await balance(shop.id)).toBe("70")
      await assertVaultInvariants(dbConnection, pool_id, 10)
    })
  },
})
