import { medusaIntegrationTestRunner } from "@medusajs/test-utils"
import { Modules } from "@medusajs/framework/utils"
import {
  assertVaultInvariants,
  completeCart,
  paymentIdOf,
  poolCounts,
  prepareCart,
  waitFor,
} from "../helpers"
import { useVirtualStore } from "../helpers/fixtures"
import { sweepVirtualGoods } from "../../src/jobs/virtual-goods-sweep"
import { deliverOrderCodesWorkflow } from "../../src/workflows/virtual-goods/workflows/deliver-order-codes"
import { runOrderDelivery } from "../../src/workflows/virtual-goods/utils/run-order-delivery"
import { VirtualGoodsEvents } from "../../src/utils/events"

jest.setTimeout(180_000)

/**
 * Paid ⇒ delivered, refunded or held: with automatic capture switched off, orders wait for payment with their
 * codes reserved; a capture releases them; a missed event is picked up by the sweep job; an order that cannot be
 * delivered is held, visible, and delivered by the job once stock arrives.
 */
medusaIntegrationTestRunner({
  testSuite: ({ api, getContainer, dbConnection }) => {
    const IMPORTED = 5
    const { store, admin } = useVirtualStore({ api, getContainer }, { codes: IMPORTED })

    /** The plugin's domain events as a host app's subscriber receives them. */
    const events: { name: string; data: unknown }[] = []
    const eventsOf = (orderId: string) =>
      events.filter((e) => (e.data as { order_id?: string }).order_id === orderId).map((e) => [e.name, e.data])

    beforeAll(async () => {
      const eventBus = getContainer().resolve(Modules.EVENT_BUS)
      for (const name of Object.values(VirtualGoodsEvents)) {
        eventBus.subscribe(name, async (event: { name: string; data: unknown }) => {
          events.push({ name: event.name, data: event.data })
        })
      }
    })

    beforeEach(async () => {
      ;(getContainer().resolve("card_vault") as any).options_.auto_capture = false
    })

    const youku = () => store.products[0]

    const placeOrder = async (quantity = 1) => {
      const cart = await prepareCart(api, store, [{ variant_id: youku().variant_id, quantity }])
      const order = (await completeCart(api, store, cart.id)).data.order
      // The order.placed subscriber ran and left the order waiting for payment.
      await new Promise((r) => setTimeout(r, 500))
      return { cart, order }
    }

    const paymentOf = (orderId: string) => paymentIdOf(getContainer(), orderId)

    const orderCodes = async (orderId: string) => (await api.get(`/admin/virtual-goods/orders/${orderId}/codes`, admin)).data

    it("without capture nothing is delivered; capturing the payment delivers the reserved codes", async () => {
      const { cart, order } = await placeOrder(2)
      expect((await orderCodes(order.id)).card_codes).toEqual([])
      const { rows } = await dbConnection.raw(`select count(*)::int as n from card_code where cart_id = ? and status = 'reserved'`, [cart.id])
      expect(rows[0].n).toBe(2)

      await api.post(`/admin/payments/${await paymentOf(order.id)}/capture`, {}, admin)
      const data = await waitFor(async () => {
        const d = await orderCodes(order.id)
        return d.card_codes.length === 2 && d.delivery?.status === "delivered" ? d : null
      })
      expect(data.card_codes.every((c: any) => c.status === "delivered")).toBe(true)
      await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
    })

    it("a capture whose event was missed is delivered by the sweep job within minutes, not after the reservation's TTL", async () => {
      const { order } = await placeOrder(1)
      // Capture behind the workflows' back: no payment.captured event, no subscriber.
      await getContainer().resolve(Modules.PAYMENT).capturePayment({ payment_id: await paymentOf(order.id) })
      await new Promise((r) => setTimeout(r, 300))
      expect((await orderCodes(order.id)).card_codes).toEqual([])
      // Reserved less than a minute ago: a checkout may still be finishing, the sweep leaves it.
      expect((await sweepVirtualGoods(getContainer())).delivered_orders).toEqual([])

      // Two minutes later (the TTL is 15): the cart became an order, so the sweep delivers it.
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '2 minutes' where status = 'reserved'`)
      const result = await sweepVirtualGoods(getContainer())
      expect(result.delivered_orders).toEqual([order.id])
      const data = await orderCodes(order.id)
      expect(data.card_codes).toEqual([expect.objectContaining({ status: "delivered" })])
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
      expect(notifications).toHaveLength(1)
    })

    it("a checkout cut off between the order and its payment: the sweep authorizes the payment, or cancels the order once the reservation expired", async () => {
      // What a process dying inside Medusa's cart completion leaves: the order and its links, a pending payment
      // session, no payment, the codes reserved for the cart.
      const cutOff = async () => {
        const { cart, order } = await placeOrder(1)
        const { rows } = await dbConnection.raw(
          `select p.id as payment_id, p.payment_session_id, p.payment_collection_id from payment p
             join order_payment_collection opc on opc.payment_collection_id = p.payment_collection_id where opc.order_id = ?`,
          [order.id]
        )
        await dbConnection.raw(`delete from payment where id = ?`, [rows[0].payment_id])
        await dbConnection.raw(`update payment_session set status = 'pending', authorized_at = null where id = ?`, [rows[0].payment_session_id])
        await dbConnection.raw(`update payment_collection set status = 'not_paid', authorized_amount = null where id = ?`, [rows[0].payment_collection_id])
        return { cart, order, session: rows[0].payment_session_id as string }
      }
      const a = await cutOff()
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '2 minutes' where cart_id = ?`, [a.cart.id])
      const swept = await sweepVirtualGoods(getContainer())
      expect(swept.cut_off_checkouts).toEqual({ [a.order.id]: "authorized" })
      const { rows: sessions } = await dbConnection.raw(`select status from payment_session where id = ?`, [a.session])
      expect(sessions[0].status).toBe("authorized")
      // Authorized like any checkout: with automatic capture off here, it waits for the capture, which delivers it.
      expect((await sweepVirtualGoods(getContainer())).cut_off_checkouts).toEqual({})
      await api.post(`/admin/payments/${await paymentOf(a.order.id)}/capture`, {}, admin)
      await waitFor(async () => (await orderCodes(a.order.id)).delivery?.status === "delivered")

      // A session that cannot be authorized: left alone while the reservation lives, the order canceled after it.
      const b = await cutOff()
      await dbConnection.raw(`update payment_session set provider_id = 'pp_gone_gone' where id = ?`, [b.session])
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '2 minutes' where cart_id = ?`, [b.cart.id])
      expect((await sweepVirtualGoods(getContainer())).cut_off_checkouts).toEqual({ [b.order.id]: "waiting" })
      await dbConnection.raw(`update card_code set reserved_at = now() - interval '1 hour' where cart_id = ?`, [b.cart.id])
      expect((await sweepVirtualGoods(getContainer())).cut_off_checkouts).toEqual({ [b.order.id]: "canceled" })
      const { rows: canceled } = await dbConnection.raw(`select status from "order" where id = ?`, [b.order.id])
      expect(canceled[0].status).toBe("canceled")
      await waitFor(async () => (await poolCounts(dbConnection, youku().pool_id)).reserved === 0)
      await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
    })

    it("an order that cannot be delivered is held with its reason and delivered once stock arrives", async () => {
      const { cart, order } = await placeOrder(1)
      // The reservation is lost and every other code is sold out before the payment is captured.
      await dbConnection.raw(`update card_code set status = 'available', cart_id = null, reserved_at = null where cart_id = ?`, [cart.id])
      await dbConnection.raw(`update card_code set status = 'expired' where pool_id = ? and status = 'available'`, [youku().pool_id])

      await api.post(`/admin/payments/${await paymentOf(order.id)}/capture`, {}, admin)
      const held = await waitFor(async () => {
        const { data } = await api.get(`/admin/virtual-goods/deliveries?status=held`, admin)
        return data.card_deliveries.length ? data.card_deliveries : null
      })
      expect(held).toEqual([
        expect.objectContaining({
          order_id: order.id,
          status: "held",
          last_error: expect.stringMatching(new RegExp(`^Out of stock while delivering order ${order.id}: line \\w+ needs 1 more from pool ${youku().pool_id}$`)),
        }),
      ])

      // A host app hears of the hold with its reason (ids and text only, never a code).
      await waitFor(async () => eventsOf(order.id).length > 0)
      expect(eventsOf(order.id)).toEqual([[VirtualGoodsEvents.DELIVERY_HELD, { order_id: order.id, reason: held[0].last_error }]])

      await api.post(`/admin/virtual-goods/pools/${youku().pool_id}/imports`, { codes: ["RESTOCK-0001-AAAA"] }, admin)
      await dbConnection.raw(`update card_delivery set updated_at = now() - interval '5 minutes'`)
      const result = await sweepVirtualGoods(getContainer())
      expect(result.delivered_orders).toEqual([order.id])
      const data = await orderCodes(order.id)
      expect(data.delivery).toEqual(expect.objectContaining({ status: "delivered", attempts: 2 }))
      expect(data.card_codes).toEqual([expect.objectContaining({ status: "delivered", mask: "****AAAA" })])
      await waitFor(async () => eventsOf(order.id).length > 1)
      expect(eventsOf(order.id)).toEqual([
        [VirtualGoodsEvents.DELIVERY_HELD, { order_id: order.id, reason: held[0].last_error }],
        [VirtualGoodsEvents.CODES_DELIVERED, { order_id: order.id, code_count: 1 }],
      ])
      expect(JSON.stringify(events)).not.toContain("RESTOCK-0001-AAAA")
      await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED + 1)
    })

    it("with automatic capture an order is delivered once: the capture's own payment.captured event changes nothing", async () => {
      ;(getContainer().resolve("card_vault") as any).options_.auto_capture = true
      const { order } = await placeOrder(1)
      const data = await waitFor(async () => {
        const d = await orderCodes(order.id)
        return d.card_codes.length === 1 && d.delivery?.status === "delivered" ? d : null
      })
      // Let the capture's event reach its subscriber, which finds the order delivered under the order's lock.
      await new Promise((r) => setTimeout(r, 1000))
      const again = await orderCodes(order.id)
      expect(again.delivery).toEqual(expect.objectContaining({ status: "delivered", attempts: data.delivery.attempts }))
      expect(again.card_codes.map((c: any) => c.id)).toEqual(data.card_codes.map((c: any) => c.id))
      const { rows: audits } = await dbConnection.raw(
        `select action, count(*)::int as n from card_audit_log where order_id = ? group by action order by action`,
        [order.id]
      )
      expect(audits).toEqual([{ action: "deliver", n: 1 }])
      const notifications = await getContainer().resolve(Modules.NOTIFICATION).listNotifications({ resource_id: order.id })
      expect(notifications).toHaveLength(1)

      // Asked to skip delivered orders, the workflow reads nothing more and reports the order as delivered ...
      const skipped = await deliverOrderCodesWorkflow(getContainer()).run({ input: { order_id: order.id, skip_if_delivered: true } })
      expect(skipped.result).toEqual({ order_id: order.id, status: "delivered", code_ids: [], delivered_now: [], supplier_order_ids: [] })
      // The capture event's subscriber path answers the same from one read, before any workflow runs.
      expect(await runOrderDelivery(getContainer(), order.id, { skip_if_delivered: true })).toEqual(skipped.result)
      // ... and without the flag it returns the order's codes, delivering nothing twice.
      const rerun = await deliverOrderCodesWorkflow(getContainer()).run({ input: { order_id: order.id } })
      expect(rerun.result).toEqual({ order_id: order.id, status: "delivered", code_ids: data.card_codes.map((c: any) => c.id), delivered_now: [], supplier_order_ids: [] })
      await assertVaultInvariants(dbConnection, youku().pool_id, IMPORTED)
    })

    it("canceling an undelivered order releases its reserved codes", async () => {
      const { cart, order } = await placeOrder(2)
      expect((await poolCounts(dbConnection, youku().pool_id)).reserved).toBe(2)
      await api.post(`/admin/orders/${order.id}/cancel`, {}, admin)
      await waitFor(async () => (await poolCounts(dbConnection, youku().pool_id)).reserved === 0)
      expect(await poolCounts(dbConnection, youku().pool_id)).toEqual(expect.objectContaining({ available: IMPORTED }))
      const { data } = await api.get(`/admin/virtual-goods/audit-logs?action=refund&order_id=${order.id}`, admin)
      expect(data.card_audit_logs).toEqual([expect.objectContaining({ cart_id: cart.id, code_count: 2, reason: "order canceled" })])
      await waitFor(async () => eventsOf(order.id).length > 0)
      expect(eventsOf(order.id)).toEqual([[VirtualGoodsEvents.CODES_RETURNED, { order_id: order.id, restocked: 0, voided: 0, released: 2 }]])
    })
  },
})
