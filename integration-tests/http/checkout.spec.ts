import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import {
  assertVaultInvariants,
  completeCart,
  paymentIdOf,
  poolCounts,
  prepareCart,
  startPaymentSession,
  storeHeaders,
  waitFor,
  waitForDelivery,
  revealTokenFromNotification,
} from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { completeCartWorkflow } from "@medusajs/medusa/core-flows"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"

jest.setTimeout(180_000)

medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const IMPORTED = 10
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: IMPORTED })

    const youku = () => store.products[0]
    const gamePoints = () => store.products[1]

    const stockedAt = async (variantId: string) => {
      const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
      const { data } = await query.graph({
        entity: "product_variant",
        fields: ["id", "inventory_items.inventory.location_levels.*"],
        filters: { id: variantId },
      })
      const level = (data[0] as any).inventory_items[0].inventory.location_levels.find(
        (l: any) => l.location_id === store.stock_location_id
      )
      return { stocked: Number(level.stocked_quantity), reserved: Number(level.reserved_quantity) }
    }

    const deliveredOrderCodes = (orderId: string, n: number) => waitForDelivery(api, getContainer(), admin, orderId, n)

    describe("no-address checkout of a virtual variant", () => {
      it("places the order, captures payment, delivers codes, fulfils digitally and notifies with a reveal link", async () => {
        expect(await stockedAt(youku().variant_id)).toEqual({ stocked: IMPORTED, reserved: 0 })
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])
        expect(cart.shipping_address?.address_1 ?? null).toBeNull()
        expect(cart.items[0].requires_shipping).toBe(false)

        const res = await completeCart(api, store, cart.id)
        expect(res.status).toBe(200)
        expect(res.data.type).toBe("order")
        const order = res.data.order

        const delivered = await deliveredOrderCodes(order.id, 2)
        expect(delivered.card_codes).toEqual([
          expect.objectContaining({ status: "delivered", order_id: order.id, line_item_id: order.items[0].id, mask: expect.stringMatching(/^\*\*\*\*.{4}$/) }),
          expect.objectContaining({ status: "delivered", order_id: order.id, line_item_id: order.items[0].id }),
        ])
        expect(JSON.stringify(delivered)).not.toMatch(/ciphertext|blind_index/)

        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: orders } = await query.graph({
          entity: "order",
          fields: ["id", "fulfillments.provider_id", "fulfillments.delivered_at", "payment_collections.captured_amount", "payment_collections.amount"],
          filters: { id: order.id },
        })
        const o: any = orders[0]
        expect(o.fulfillments).toEqual([expect.objectContaining({ provider_id: "digital_digital", delivered_at: expect.any(Date) })])
        expect(Number(o.payment_collections[0].captured_amount)).toBe(30)

        const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
        expect(notifications).toHaveLength(1)
        expect(notifications[0]).toEqual(
          expect.objectContaining({ to: "buyer@example.com", channel: "email", template: "virtual-goods.codes-delivered" })
        )
        expect(notifications[0].data).toEqual(
          expect.objectContaining({
            order_id: order.id,
            reveal_link: {
              id: expect.stringMatching(/^crlink_/),
              url_template: "http://localhost:8000/virtual-goods/reveal/{token}",
              expires_at: expect.any(String),
              max_uses: 5,
            },
            codes: delivered.card_codes.map((c: any) => ({ id: c.id, mask: c.mask })),
          })
        )

        // The vault is the one book: Medusa's inventory reserved nothing (the variant is not managed by it), and the
        // display mirror catches up at the next sync.
        const counts = await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
        expect(counts).toEqual(expect.objectContaining({ available: 8, delivered: 2, reserved: 0 }))
        expect(await stockedAt(youku().variant_id)).toEqual({ stocked: IMPORTED, reserved: 0 })
        await sweepVirtualGoods(getContainer())
        expect(await stockedAt(youku().variant_id)).toEqual({ stocked: 8, reserved: 0 })

        const { data: audit } = await api.get(`/admin/virtual-goods/audit-logs?order_id=${order.id}`, admin)
        expect(audit.card_audit_logs.map((l: any) => l.action)).toEqual(["deliver"])
      })

      it("running delivery again (the sweep job, a duplicate event) yields the same codes and one notification", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        const first = await deliveredOrderCodes(order.id, 1)

        const { deliverOrderCodesWorkflow } = await import("../../src/workflows/virtual-goods/workflows/deliver-order-codes")
        const again = await deliverOrderCodesWorkflow(getContainer()).run({ input: { order_id: order.id } })
        expect(again.result.code_ids).toEqual([first.card_codes[0].id])
        expect(again.result.delivered_now).toEqual([])
        await getContainer().resolve(Modules.EVENT_BUS).emit({ name: "payment.captured", data: { id: "pay_unknown" } })

        const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
        expect(notifications).toHaveLength(1)
        const { data: fulfillments } = await getContainer()
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "order", fields: ["fulfillments.id"], filters: { id: order.id } })
        expect((fulfillments[0] as any).fulfillments).toHaveLength(1)
        await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
      })
    })

    describe("stock", () => {
      it("a sold-out variant: the store API says so, Medusa's inventory is not consulted, and the vault refuses the checkout", async () => {
        const { data: variants } = await getContainer()
          .resolve(ContainerRegistrationKeys.QUERY)
          .graph({ entity: "product_variant", fields: ["id", "manage_inventory"], filters: { id: [youku().variant_id, gamePoints().variant_id] } })
        expect(variants.map((v: any) => v.manage_inventory)).toEqual([false, false])
        const { data } = await api.get(`/store/virtual-goods/stock?variant_id=${gamePoints().variant_id}`, { headers: storeHeaders(store) })
        expect(data).toEqual({ stock: [{ variant_id: gamePoints().variant_id, available: 0, sold_out: true, pass_through: false }] })
        const cart = await prepareCart(api, store, [{ variant_id: gamePoints().variant_id, quantity: 1 }])
        const err = await completeCart(api, store, cart.id).catch((e: any) => e)
        expect(err.response.status).toBe(400)
        expect(err.response.data.message).toBe(`Out of stock: ${gamePoints().pool_id} (requested 1, available 0)`)
      })

      it("out of stock at completion: a clear error, no order is created and nothing is captured", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])
        // Someone else buys all but one code between add-to-cart and checkout.
        await getContainer().resolve("card_vault").reserveForCart({
          cart_id: "cart_other_buyer",
          items: [{ pool_id: youku().pool_id, quantity: IMPORTED - 1 }],
        })
        const err = await completeCart(api, store, cart.id).catch((e: any) => e)
        expect(err.response.status).toBe(400)
        expect(err.response.data).toEqual({
          type: "not_allowed",
          message: `Out of stock: ${youku().pool_id} (requested 2, available 1)`,
        })

        const query = getContainer().resolve(ContainerRegistrationKeys.QUERY)
        const { data: links } = await query.graph({ entity: "order_cart", fields: ["order_id"], filters: { cart_id: cart.id } })
        expect(links).toEqual([])
        const { data: carts } = await query.graph({
          entity: "cart",
          fields: ["completed_at", "payment_collection.status", "payment_collection.captured_amount"],
          filters: { id: cart.id },
        })
        expect((carts[0] as any).completed_at).toBeNull()
        expect((carts[0] as any).payment_collection.status).not.toMatch(/captured|completed/)
        expect(Number((carts[0] as any).payment_collection.captured_amount ?? 0)).toBe(0)
        const { rows } = await dbConnection.raw(`select count(*)::int as n from "order"`)
        expect(rows[0].n).toBe(0)
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: 1, reserved: IMPORTED - 1 }))
      })

      it("a completion that fails after the reservation releases exactly the codes it reserved", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 3 }])
        const workflow = completeCartWorkflow(getContainer())
        workflow.appendAction("throw", "create-orders", {
          invoke: async function failAfterOrder() {
            throw new Error("Failed after creating the order")
          },
        })
        const { errors } = await workflow.run({ input: { id: cart.id }, throwOnError: false })
        expect(errors).toEqual([
          expect.objectContaining({
            action: "throw",
            handlerType: "invoke",
            error: expect.objectContaining({ message: "Failed after creating the order" }),
          }),
        ])
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: IMPORTED, reserved: 0 }))
        const { data } = await api.get(`/admin/virtual-goods/audit-logs?action=release`, admin)
        expect(data.card_audit_logs).toEqual([expect.objectContaining({ code_count: 3, reason: "cart completion failed" })])
        const { data: reserve } = await api.get(`/admin/virtual-goods/audit-logs?action=reserve`, admin)
        expect(reserve.card_audit_logs[0].code_ids.sort()).toEqual(data.card_audit_logs[0].code_ids.sort())

        // The failed attempt's payment was canceled by the rollback: the shopper starts a new payment session, as
        // the storefront does after an error, and buys normally.
        await startPaymentSession(api, store, cart.id)
        const retry = await completeCart(api, store, cart.id)
        expect(retry.data.type).toBe("order")
        await deliveredOrderCodes(retry.data.order.id, 3)
        await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
      })

      it("the vault alone decides: a display mirror that says 5 does not sell an empty pool", async () => {
        // Pretend the mirror says 5 while the pool is empty: the vault's SQL is the gate.
        await getContainer().resolve(Modules.INVENTORY).updateInventoryLevels([
          {
            inventory_item_id: (await dbConnection.raw(
              `select inventory_item_id from product_variant_inventory_item where variant_id = ?`,
              [gamePoints().variant_id]
            )).rows[0].inventory_item_id,
            location_id: store.stock_location_id,
            stocked_quantity: 5,
          },
        ])
        const cart = await prepareCart(api, store, [{ variant_id: gamePoints().variant_id, quantity: 2 }])
        const err = await completeCart(api, store, cart.id).catch((e: any) => e)
        expect(err.response.status).toBe(400)
        expect(err.response.data.message).toBe(`Out of stock: ${gamePoints().pool_id} (requested 2, available 0)`)
        const { rows } = await dbConnection.raw(`select count(*)::int as n from "order"`)
        expect(rows[0].n).toBe(0)
      })

      it("concurrent checkouts racing for the last codes: no code in two orders, stock never negative", async () => {
        // Leave exactly 3 codes in the pool.
        await dbConnection.raw(
          `update card_code set status = 'expired' where id in (select id from card_code where pool_id = ? and status = 'available' order by id limit ?)`,
          [youku().pool_id, IMPORTED - 3]
        )
        const carts = []
        for (let i = 0; i < 8; i++) {
          carts.push(await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }], { email: `racer${i}@example.com` }))
        }
        const results = await Promise.allSettled(carts.map((c) => completeCart(api, store, c.id)))
        const orders = results
          .filter((r) => r.status === "fulfilled" && (r as any).value.data.type === "order")
          .map((r: any) => r.value.data.order)
        const failures = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[]
        // Exactly as many orders as codes; everyone else told it is sold out.
        expect(orders.length).toBe(3)
        expect(failures.map((f) => [f.reason.response.status, f.reason.response.data.message])).toEqual(
          Array(5).fill([400, `Out of stock: ${youku().pool_id} (requested 1, available 0)`])
        )

        const codeIds: string[] = []
        for (const o of orders) {
          const d = await deliveredOrderCodes(o.id, 1)
          codeIds.push(...d.card_codes.map((c: any) => c.id))
        }
        expect(new Set(codeIds).size).toBe(orders.length)
        await waitFor(async () => (await poolCounts(dbConnection, youku().pool_id)).reserved === 0)
        const counts = await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
        expect(counts.delivered).toBe(orders.length)
        expect(counts.available).toBe(3 - orders.length)
        await sweepVirtualGoods(getContainer())
        expect(await stockedAt(youku().variant_id)).toEqual({ stocked: 0, reserved: 0 })
      })

      it("the sweep job releases reservations of carts that never became orders", async () => {
        const vault: any = getContainer().resolve("card_vault")
        await vault.reserveForCart({ cart_id: "cart_abandoned", items: [{ pool_id: youku().pool_id, quantity: 2 }] })
        expect((await poolCounts(dbConnection, youku().pool_id)).reserved).toBe(2)
        await dbConnection.raw(`update card_code set reserved_at = now() - interval '1 hour' where cart_id = 'cart_abandoned'`)
        const result = await sweepVirtualGoods(getContainer())
        expect(result.released_carts).toEqual(["cart_abandoned"])
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ reserved: 0, available: IMPORTED }))
        const { data } = await api.get(`/admin/virtual-goods/audit-logs?action=release`, admin)
        expect(data.card_audit_logs).toEqual([expect.objectContaining({ cart_id: "cart_abandoned", code_count: 2, reason: "reservation expired" })])
      })
    })

    describe("refunds", () => {
      const paymentOf = (orderId: string) => paymentIdOf(getContainer(), orderId)

      it("a refund before reveal puts the codes back in stock; after reveal it voids them", async () => {
        const a = (await completeCart(api, store, (await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])).id)).data.order
        const b = (await completeCart(api, store, (await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }])).id)).data.order
        await deliveredOrderCodes(a.id, 2)
        const bCodes = await deliveredOrderCodes(b.id, 1)
        await sweepVirtualGoods(getContainer())
        expect(await stockedAt(youku().variant_id)).toEqual({ stocked: IMPORTED - 3, reserved: 0 })

        const reveal = await api.post(`/admin/virtual-goods/codes/${bCodes.card_codes[0].id}/reveal`, { reason: "customer support ticket 42" }, admin)
        expect(reveal.status).toBe(200)

        await api.post(`/admin/payments/${await paymentOf(a.id)}/refund`, {}, admin)
        await api.post(`/admin/payments/${await paymentOf(b.id)}/refund`, {}, admin)

        await waitFor(async () => {
          const c = await poolCounts(dbConnection, youku().pool_id)
          return c.voided === 1 && c.available === IMPORTED - 1
        })
        const { data: codesB } = await api.get(`/admin/virtual-goods/orders/${b.id}/codes`, admin)
        expect(codesB.card_codes).toEqual([expect.objectContaining({ status: "voided", void_reason: "order refunded" })])
        expect(codesB.delivery.status).toBe("returned")
        const { data: codesA } = await api.get(`/admin/virtual-goods/orders/${a.id}/codes`, admin)
        expect(codesA.card_codes).toEqual([])
        await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
        await waitFor(async () => (await stockedAt(youku().variant_id)).stocked === IMPORTED - 1)

        const { data: audit } = await api.get(`/admin/virtual-goods/audit-logs?action=refund`, admin)
        expect(audit.card_audit_logs).toHaveLength(2)
      })

      it("a refund whose payment.refunded event was lost: the minute sweep takes the codes back, once", async () => {
        const order = (await completeCart(api, store, (await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 2 }])).id)).data.order
        await deliveredOrderCodes(order.id, 2)
        // Refunded in the payment module alone: no workflow, so no payment.refunded event (as when the process that
        // refunded died before releasing its events).
        const payment = await paymentOf(order.id)
        await getContainer().resolve(Modules.PAYMENT).refundPayment({ payment_id: payment, amount: 30 })
        await new Promise((r) => setTimeout(r, 500))
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ delivered: 2, available: IMPORTED - 2 }))

        const swept = await sweepVirtualGoods(getContainer())
        expect(swept.returned_orders).toEqual([order.id])
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ delivered: 0, available: IMPORTED }))
        const { data } = await api.get(`/admin/virtual-goods/orders/${order.id}/codes`, admin)
        expect(data.delivery.status).toBe("returned")
        // The next sweep finds nothing left to take back.
        expect((await sweepVirtualGoods(getContainer())).returned_orders).toEqual([])
        await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
      })

      it("retrying completion of a completed (then refunded) cart returns the same order and takes no new codes", async () => {
        const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity: 1 }])
        const order = (await completeCart(api, store, cart.id)).data.order
        await deliveredOrderCodes(order.id, 1)
        await api.post(`/admin/payments/${await paymentOf(order.id)}/refund`, {}, admin)
        await waitFor(async () => (await poolCounts(dbConnection, youku().pool_id)).available === IMPORTED)

        const retry = await completeCart(api, store, cart.id)
        expect(retry.status).toBe(200)
        expect(retry.data.order.id).toBe(order.id)
        expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: IMPORTED, reserved: 0 }))
      })
    })
  },
})
