import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { maskCode } from "../../src/modules/card-vault/utils/crypto"
import { SUPPLIERS_MODULE } from "../../src/modules/suppliers"
import { medusaStoreAdapter } from "../../src/modules/suppliers/adapters/medusa-store"
import type SuppliersModuleService from "../../src/modules/suppliers/service"
import { createSupplierProductWorkflow, createSupplierWorkflow, runSupplierOrdersTick } from "../../src/workflows/suppliers"
import { importRestockCodes } from "../../src/workflows/suppliers/utils/import-restock-codes"
import { assertVaultInvariants, completeCart, prepareCart, revealTokenFromNotification, settle, storeHeaders, waitFor } from "../helpers"
import { liftedRateLimits } from "../helpers/env"
import { useVirtualStore } from "../helpers/fixtures"
import { freePort, seedUpstreamOffer, startUpstreamStore, upstreamAdmin as upstreamAdminOf, type UpstreamStore } from "../helpers/upstream-store"

jest.setTimeout(300_000)

// The downstream's suppliers module may reach the upstream on loopback in this test only.
process.env.VIRTUAL_GOODS_ALLOW_PRIVATE_SUPPLIERS = "true"

const UPSTREAM_DB = process.env.PASS_THROUGH_UPSTREAM_DB || "medusa_virtual_goods_test_pass_through"

const upstreamStarting = startUpstreamStore({ database: UPSTREAM_DB, env: { VIRTUAL_GOODS_RATE_LIMITS: liftedRateLimits("wholesale") } })
upstreamStarting.catch(() => undefined) // awaited (and reported) in beforeAll

/** Fresh codes for the upstream's pool: what the downstream must receive, exactly. */
const codesFor = (tag: string, n: number) => Array.from({ length: n }, (_, i) => `PT-${tag}-${i + 1}-${Math.random().toString(36).slice(2, 10).toUpperCase()}`)

/**
 * Pass-through (a sale with no local stock buys its codes from the upstream at delivery): this test's app is a store
 * whose "Game points 100" pool is empty and linked to an upstream product of a second, real app of this plugin (the
 * `medusa_store` adapter, an agent key of the upstream). The checkout is accepted, the codes in stock are delivered at
 * once, the missing ones are bought with our id as the order number, imported reserved for the order and delivered with
 * a second email; a definite failure refunds exactly the missing codes; a lost answer or a lost event is finished by the
 * supplier tick and the sweep, never bought twice.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer }) => {
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: 2 })
    let upstream: UpstreamStore
    let upstreamVariant: string
    let upstreamPool: string
    const keys = { shop: "", poor: "", shopAgent: "" }

    const upstreamAdmin = (method: string, path: string, body?: unknown) => upstreamAdminOf(upstream, method, path, body)

    const youku = () => store.products.find((p) => p.handle === "youku-monthly")!
    const points = () => store.products.find((p) => p.handle === "game-points-100")!
    const suppliers = () => getContainer().resolve<SuppliersModuleService>(SUPPLIERS_MODULE)
    const db = () => getContainer().resolve(ContainerRegistrationKeys.PG_CONNECTION)

    /** A supplier docked to the upstream with `key` (or a dead address), and the points pool's pass-through product. */
    async function dock(key: string, baseUrl: string, passThrough: boolean) {
      const container = getContainer()
      const sealed = suppliers().sealCredentials(null, { api_key: key })
      await createSupplierWorkflow(container).run({
        input: { id: sealed.supplier_id, name: "Upstream store", adapter: "medusa_store", base_url: baseUrl, credentials: sealed.credentials, poll_interval_seconds: 1, timeout_ms: 5000 },
      })
      const { result: product } = await createSupplierProductWorkflow(container).run({
        input: {
          supplier_id: sealed.supplier_id,
          kind: "codes",
          upstream_product_id: upstreamVariant,
          name: "Upstream voucher",
          unit_cost: "7.25",
          max_unit_cost: "8",
          currency_code: "usd",
          pool_id: points().pool_id,
          pass_through: passThrough,
        },
      })
      return { supplierId: sealed.supplier_id, productId: product.id as string }
    }

    /** A cart of one Youku code (in stock) and two game-point codes (none in stock), completed through the store API. */
    async function buy(email: string, items = [
      { variant_id: youku().variant_id, quantity: 1 },
      { variant_id: points().variant_id, quantity: 2 },
    ]) {
      const cart = await prepareCart(api, store, items, { email })
      return settle(completeCart(api, store, cart.id))
    }

    const purchasesOf = async (orderId: string) => (await api.get(`/admin/virtual-goods/supplier-orders?order_id=${orderId}`, admin)).data.supplier_orders as any[]
    const statusOf = async (orderId: string) => (await api.get(`/store/virtual-goods/order-status/${orderId}`, { headers: storeHeaders(store) })).data
    const codesOf = async (orderId: string) => (await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)).data.card_codes as any[]
    const mails = async (orderId: string) =>
      (await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: orderId }, { order: { created_at: "ASC" } })).filter((n: any) => n.status !== "failure")
    const lineOf = (order: any, variantId: string) => order.items.find((i: any) => i.variant_id === variantId).id as string
    const money = async (orderId: string) => {
      const { data } = await getContainer().resolve(ContainerRegistrationKeys.QUERY).graph({
        entity: "order",
        fields: ["id", "payment_collections.captured_amount", "payment_collections.refunded_amount", "fulfillments.delivered_at", "fulfillments.items.line_item_id", "fulfillments.items.quantity"],
        filters: { id: orderId },
      })
      const o = data[0] as any
      return {
        captured: o.payment_collections.reduce((s: number, c: any) => s + Number(c.captured_amount ?? 0), 0),
        refunded: o.payment_collections.reduce((s: number, c: any) => s + Number(c.refunded_amount ?? 0), 0),
        fulfillments: o.fulfillments.map((f: any) => ({ delivered: !!f.delivered_at, items: f.items.map((i: any) => [i.line_item_id, Number(i.quantity)]) })),
      }
    }

    beforeAll(async () => {
      upstream = await upstreamStarting
      // Upstream: game points at 10, 7.25 for resellers; a paying agent and one without the funds for two codes.
      const offer = await seedUpstreamOffer(upstream, {
        product: "Upstream game points",
        variant: "100 points",
        sku: "UP-GP100",
        price: 10,
        agent_price: 7.25,
        agents: { shop: "100", poor: "5" },
      })
      upstreamVariant = offer.variant_id
      upstreamPool = offer.pool_id
      keys.shop = offer.agents.shop.key
      keys.shopAgent = offer.agents.shop.id
      keys.poor = offer.agents.poor.key
    })

    afterAll(async () => {
      await (await upstreamStarting.catch(() => null))?.stop()
    })

    it("an empty pool sells only with pass-through on; the codes in stock go at once, the missing ones are bought after a lost answer, once, and delivered with a second email", async () => {
      const imported = codesFor("A", 3)
      await upstreamAdmin("POST", `/admin/virtual-goods/pools/${upstreamPool}/imports`, { codes: imported })
      // Its first address answers nothing (a supplier down): a lost answer, never a failure.
      const dead = `http://127.0.0.1:${await freePort()}`
      const { supplierId, productId } = await dock(keys.shop, dead, false)

      // Without pass-through an empty pool refuses the checkout, as always.
      const refused = await buy("buyer@example.com")
      expect(refused.status).toBe(400)
      expect(refused.data.message).toMatch(/^Out of stock: /)

      // The admin turns pass-through on; bad input is refused naming the field, nothing changed.
      const bad = await settle(api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/${productId}`, { pass_through: "yes" }, admin))
      expect(bad.status).toBe(400)
      expect(bad.data.message).toContain("pass_through")
      expect((await settle(api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/${productId}`, {}, admin))).status).toBe(400)
      expect((await settle(api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/supprod_nope`, { pass_through: true }, admin))).status).toBe(404)
      const stock = async () => (await api.get(`/store/virtual-goods/stock?variant_id=${points().variant_id}`, { headers: storeHeaders(store) })).data.stock
      expect(await stock()).toEqual([{ variant_id: points().variant_id, available: 0, sold_out: true, pass_through: false }])
      const { data: updated } = await api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/${productId}`, { pass_through: true }, admin)
      expect(updated.product).toEqual(expect.objectContaining({ id: productId, pass_through: true, kind: "codes" }))
      // The storefront sees an empty pool that still sells (its counts are kept a second).
      await new Promise((r) => setTimeout(r, 1100))
      expect(await stock()).toEqual([{ variant_id: points().variant_id, available: 0, sold_out: false, pass_through: true }])

      const placed = await buy("buyer@example.com")
      expect(placed.status).toBe(200)
      expect(placed.data.type).toBe("order")
      const order = placed.data.order
      const pointsLine = lineOf(order, points().variant_id)
      const youkuLine = lineOf(order, youku().variant_id)

      // The Youku code is delivered at once (its own email); the two game-point codes are being bought.
      const [purchase] = await waitFor(async () => {
        const list = await purchasesOf(order.id)
        if (list[0]?.status !== "submitting" || (await mails(order.id)).length !== 1) return null
        const { data } = await api.get(`/admin/virtual-goods/supplier-orders/${list[0].id}`, admin)
        return data.events.some((e: any) => e.kind === "submit") ? list : null
      }, 30_000)
      expect(purchase).toEqual(
        expect.objectContaining({ kind: "pass_through", order_id: order.id, line_item_id: pointsLine, quantity: 2, amount: 20, max_unit_cost: 8, pool_id: points().pool_id })
      )
      expect(await statusOf(order.id)).toEqual({ order_id: order.id, display_id: order.display_id, status: "procuring", codes_delivered: 1 })
      const first = await mails(order.id)
      expect(first).toHaveLength(1)
      expect((first[0].data as any).codes).toHaveLength(1)
      expect((await money(order.id)).fulfillments).toEqual([{ delivered: true, items: [[youkuLine, 1]] }])

      // Back up. Our submission did arrive upstream; only its answer was lost (the same order number, sent by hand),
      // and this process died right after importing the codes it bought: they wait reserved for the order.
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { base_url: upstream.url }, admin)
      const conn = { supplier_id: supplierId, base_url: upstream.url, credentials: { api_key: keys.shop }, config: {}, timeout_ms: 15_000, allow_private_addresses: true, callback_url: null }
      const answer = await medusaStoreAdapter.submitOrder(conn, { order_no: purchase.id, product_id: upstreamVariant, quantity: 2, recipient: null, max_unit_cost: "8" })
      expect(answer).toEqual(expect.objectContaining({ state: "succeeded", total_cost: "14.5" }))
      const row = await suppliers().retrieveSupplierOrderRow(purchase.id)
      const { batch_id } = await importRestockCodes(getContainer(), row, answer)
      expect((await db().raw(`select status, cart_id is not null as held, order_id from card_code where batch_id = ?`, [batch_id])).rows).toEqual([
        { status: "reserved", held: true, order_id: null },
        { status: "reserved", held: true, order_id: null },
      ])
      expect(await statusOf(order.id)).toEqual(expect.objectContaining({ status: "procuring", codes_delivered: 1 }))

      // The sweep finds codes reserved for a paid order and delivers them (as it would after their event was lost).
      await db().raw(`update card_code set reserved_at = now() - interval '2 hours' where batch_id = ?`, [batch_id])
      await sweepVirtualGoods(getContainer())
      const codes = await codesOf(order.id)
      expect(codes.filter((c) => c.line_item_id === pointsLine).map((c) => c.status)).toEqual(["delivered", "delivered"])
      expect(codes.filter((c) => c.line_item_id === pointsLine).map((c) => c.mask).sort()).toEqual(
        (answer.codes ?? []).map((c) => maskCode(c.code)).sort()
      )

      // The supplier tick asks about the order: found (the same number, charged once), the batch already there, no second import.
      await waitFor(async () => {
        await runSupplierOrdersTick(getContainer())
        return (await suppliers().retrieveSupplierOrderRow(purchase.id)).status === "succeeded"
      }, 60_000)
      expect(await suppliers().retrieveSupplierOrderRow(purchase.id)).toEqual(expect.objectContaining({ status: "succeeded", batch_id, cost: "14.5", refund_status: "none" }))
      const ledger = (await upstreamAdmin("GET", `/admin/virtual-goods/agents/${keys.shopAgent}/ledger`)).entries as { kind: string; amount: string }[]
      expect(ledger.filter((e) => e.kind === "purchase").map((e) => e.amount)).toEqual(["-14.5"])
      const { data: batches } = await api.get(`/admin/virtual-goods/pools/${points().pool_id}/batches`, admin)
      expect(batches.card_batches).toEqual([expect.objectContaining({ id: batch_id, supplier: "Upstream store", code_count: 2 })])
      expect(String(batches.card_batches[0].cost_per_code)).toBe("7.25")

      // A second email with all three codes, once (the settled event's delivery run sends nothing more).
      await waitFor(async () => ((await mails(order.id)).length === 2 ? true : null))
      await new Promise((r) => setTimeout(r, 1000))
      const sent = await mails(order.id)
      expect(sent.map((n: any) => n.idempotency_key)).toEqual([`virtual-goods-delivered:${order.id}`, `virtual-goods-delivered:${order.id}:3`])
      expect((sent[1].data as any).codes).toHaveLength(3)
      expect(await statusOf(order.id)).toEqual({ order_id: order.id, display_id: order.display_id, status: "delivered", codes_delivered: 3 })

      // The shopper reveals exactly the codes bought upstream, through the second email's link.
      const { data: revealed } = await api.post(`/store/virtual-goods/reveal-links/reveal`, { token: revealTokenFromNotification(sent[1]) }, { headers: storeHeaders(store) })
      const bought = revealed.card_codes.filter((c: any) => c.line_item_id === pointsLine || codes.find((x) => x.id === c.id)?.line_item_id === pointsLine).map((c: any) => c.code).sort()
      expect(bought).toEqual((answer.codes ?? []).map((c) => c.code).sort())
      for (const code of bought) expect(imported).toContain(code)

      // Each line fulfilled once its codes were all there; paid = delivered (15 + 2 × 10), nothing refunded.
      const after = await money(order.id)
      expect(after.fulfillments).toEqual([
        { delivered: true, items: [[youkuLine, 1]] },
        { delivered: true, items: [[pointsLine, 2]] },
      ])
      expect([after.captured, after.refunded]).toEqual([35, 0])
      await assertVaultInvariants(db(), points().pool_id, 2)
      await assertVaultInvariants(db(), youku().pool_id, 2)
      const { rows: twice } = await db().raw(`select count(*)::int as n from (select id from card_code where order_id is not null group by id having count(distinct order_id) > 1) t`)
      expect(twice[0].n).toBe(0)
    })

    it("a definite failure refunds exactly the missing codes, once, with an email; over the price guard the checkout is refused; with a paying agent it is delivered by the events alone", async () => {
      await upstreamAdmin("POST", `/admin/virtual-goods/pools/${upstreamPool}/imports`, { codes: codesFor("B", 3) })
      const { supplierId, productId } = await dock(keys.poor, upstream.url, true)

      // The supplier's cost over the product's maximum: refused at checkout, nothing reserved, nothing bought.
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/${productId}`, { unit_cost: "10.5" }, admin)
      const guarded = await buy("guarded@example.com")
      expect(guarded.status).toBe(400)
      expect(guarded.data.message).toMatch(/^Out of stock: /)
      expect((await db().raw(`select count(*)::int as n from card_code where status = 'reserved'`)).rows[0].n).toBe(0)
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}/products/${productId}`, { unit_cost: "7.25" }, admin)

      // An agent without the funds upstream: a definite refusal → the two missing codes (2 × 10) refunded, once.
      const placed = await buy("refund@example.com")
      expect(placed.status).toBe(200)
      const order = placed.data.order
      const failed = await waitFor(async () => {
        const [p] = await purchasesOf(order.id)
        return p?.refund_status === "refunded" ? p : null
      }, 60_000)
      expect(failed).toEqual(expect.objectContaining({ kind: "pass_through", status: "failed", quantity: 2, amount: 20, failure_reason: expect.stringContaining("Insufficient funds") }))
      await runSupplierOrdersTick(getContainer())
      const refundMails = await waitFor(async () => {
        const list = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ template: "virtual-goods.purchase-refunded", resource_id: order.id })
        return list.length ? list : null
      })
      expect(refundMails).toHaveLength(1)
      expect(refundMails[0].data).toEqual(expect.objectContaining({ quantity: 2, amount: "20", currency_code: "usd", recipient: null }))
      const m = await money(order.id)
      // paid 35 = delivered 15 (the Youku code) + refunded 20; the Youku code stays the shopper's.
      expect([m.captured, m.refunded]).toEqual([35, 20])
      expect((await codesOf(order.id)).map((c) => c.status)).toEqual(["delivered"])
      await assertVaultInvariants(db(), points().pool_id, 0)

      // With a paying agent's key (the credentials replaced), an order of game points only: bought and delivered by the
      // events alone (no tick, no sweep), in one email — its first, since it had no code before.
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { credentials: { api_key: keys.shop } }, admin)
      const second = await buy("events@example.com", [{ variant_id: points().variant_id, quantity: 1 }])
      expect(second.status).toBe(200)
      const id = second.data.order.id
      const delivered = await waitFor(async () => {
        const codes = await codesOf(id)
        return codes.length === 1 && (await mails(id)).length === 1 ? codes : null
      }, 60_000)
      expect(delivered[0]).toEqual(expect.objectContaining({ status: "delivered", line_item_id: lineOf(second.data.order, points().variant_id) }))
      expect((await mails(id)).map((n: any) => n.idempotency_key)).toEqual([`virtual-goods-delivered:${id}`])
      expect(await statusOf(id)).toEqual(expect.objectContaining({ status: "delivered", codes_delivered: 1 }))
      expect((await purchasesOf(id))[0]).toEqual(expect.objectContaining({ status: "succeeded", quantity: 1, cost: 7.25, attempts: 1 }))
      await assertVaultInvariants(db(), points().pool_id, 1)

      // A delivery that stopped before its purchase was written (a process killed in between; the row removed here to
      // stand for it, while the supplier was unreachable so nothing went upstream): the supplier tick finds the paid
      // order short of codes with no purchase, runs its delivery again, and the codes arrive.
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { base_url: `http://127.0.0.1:${await freePort()}` }, admin)
      const third = await buy("killed@example.com", [{ variant_id: points().variant_id, quantity: 1 }])
      const lost = third.data.order.id
      // Once its submission came back unanswered (so no run of it is still going on).
      const [stuck] = await waitFor(async () => {
        const list = await purchasesOf(lost)
        if (list[0]?.status !== "submitting") return null
        const { data } = await api.get(`/admin/virtual-goods/supplier-orders/${list[0].id}`, admin)
        return data.events.some((e: any) => e.kind === "submit") ? list : null
      }, 30_000)
      await db().raw(`delete from supplier_order_event where supplier_order_id = ?`, [stuck.id])
      await db().raw(`delete from supplier_order where id = ?`, [stuck.id])
      await api.post(`/admin/virtual-goods/suppliers/${supplierId}`, { base_url: upstream.url }, admin)
      const recovered = await waitFor(async () => {
        await runSupplierOrdersTick(getContainer(), { pending_after_seconds: 0 })
        const codes = await codesOf(lost)
        return codes.length === 1 ? codes : null
      }, 60_000)
      expect(recovered[0]).toEqual(expect.objectContaining({ status: "delivered" }))
      const [again] = await purchasesOf(lost)
      expect(again).toEqual(expect.objectContaining({ status: "succeeded", quantity: 1 }))
      expect(again.id).not.toBe(stuck.id)
      expect(await statusOf(lost)).toEqual(expect.objectContaining({ status: "delivered", codes_delivered: 1 }))
      await assertVaultInvariants(db(), points().pool_id, 2)
    })
  },
})
