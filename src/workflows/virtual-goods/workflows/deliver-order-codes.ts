import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import {
  acquireLockStep,
  createOrderFulfillmentWorkflow,
  emitEventStep,
  markOrderFulfillmentAsDeliveredWorkflow,
  releaseLockStep,
} from "@medusajs/medusa/core-flows"
import {
  checkRiskHoldStep,
  captureOrderPaymentsStep,
  deliverCardCodesStep,
  prepareOrderDeliveryStep,
  sendDeliveryNotificationStep,
} from "../steps"
import { SupplierEvents, VirtualGoodsEvents } from "../../../utils/events"
import { createPassThroughOrdersStep } from "../../suppliers/steps/create-pass-through-orders"

export type DeliverOrderCodesWorkflowInput = {
  order_id: string
  /**
   * Do nothing when the vault already records the order as delivered (checked under the order's lock): for the
   * `payment.captured` event that the workflow's own automatic capture raises. Status "delivered", no code ids.
   */
  skip_if_delivered?: boolean
  /**
   * The key the order's codes were reserved under when the order has no cart (a wholesale order reserves under
   * `wholesale:<agent order id>` before its Medusa order exists).
   */
  reservation_key?: string | null
  /** Send the delivery notification with a guest reveal link (default true; wholesale orders answer with the codes). */
  notify?: boolean
}

export type DeliverOrderCodesWorkflowOutput = {
  order_id: string
  /** `procuring`: delivered what the vault holds; a line's missing codes are being bought from its supplier. */
  status: "delivered" | "procuring" | "awaiting_payment" | "held_for_review" | "not_deliverable" | "not_found"
  code_ids: string[]
  delivered_now: string[]
  /** Pass-through purchases of the lines the vault could not cover (created now or earlier). */
  supplier_order_ids: string[]
}

export const deliverOrderCodesWorkflowId = "deliver-order-codes"

/**
 * Delivers the card codes of a paid order (capturing the payment of virtual-only orders first when the
 * `auto_capture` option is on): binds the reserved codes to the order's lines (exactly once: a second
 * run returns the same codes), creates a fulfillment with the digital provider for the lines whose codes are all
 * there and marks it delivered, and sends a notification with a guest reveal link (once per set of codes). Orders not yet captured, refunded
 * or canceled are left alone, and so are orders held for a risk review until an admin approves them. Outputs code ids, never codes.
 *
 * Pass-through: a shopper's line whose pool is empty but buys from a supplier at delivery keeps what the vault had and
 * gets a pass-through purchase for the rest (`virtual_goods.supplier_order.created`); the codes bought are imported
 * reserved for the order, and a later run (after the purchase settles, or the sweep) delivers them, fulfils the line
 * and tells the shopper. A definite failure refunds the line's missing codes.
 *
 * @example
 * const { result } = await deliverOrderCodesWorkflow(container).run({ input: { order_id: "order_123" } })
 *
 * @summary Deliver an order's card codes.
 */
export const deliverOrderCodesWorkflow = createWorkflow(
  deliverOrderCodesWorkflowId,
  (input: DeliverOrderCodesWorkflowInput) => {
    const lockKey = transform({ input }, ({ input }) => `virtual-goods:deliver:${input.order_id}`)
    // Also when run inside another workflow (an approval, a wholesale order): Medusa's lock steps skip themselves in
    // sub-workflows unless told otherwise, and delivery must never run twice at once for one order.
    acquireLockStep({ key: lockKey, timeout: 30, ttl: 120, executeOnSubWorkflow: true })

    const initial = prepareOrderDeliveryStep(input)
    // After an automatic capture the order is read again (what the capture really left); otherwise the first read holds.
    const afterCapture = when("auto-capture", { initial }, ({ initial }) => !!initial?.auto_capture_needed).then(() => {
      captureOrderPaymentsStep(transform({ initial }, ({ initial }) => ({ payment_ids: initial!.capturable_payment_ids })))
      return prepareOrderDeliveryStep(
        transform({ input }, ({ input }) => ({ order_id: input.order_id, reservation_key: input.reservation_key ?? null }))
      ).config({
        name: "prepare-order-delivery-after-capture",
      })
    })
    const captured = transform({ initial, afterCapture }, ({ initial, afterCapture }) => (afterCapture !== undefined ? afterCapture : initial))

    // A checkout the risk rules sent to review is paid, but its codes wait for an admin's approval.
    const hold = when("check-risk-hold", { captured }, ({ captured }) => !!captured?.deliverable).then(() =>
      checkRiskHoldStep(transform({ captured }, ({ captured }) => ({ order_id: captured!.order_id, cart_id: captured!.cart_id })))
    )
    const plan = transform({ captured, hold }, ({ captured, hold }) => (captured && hold?.held ? { ...captured, deliverable: false, held_for_review: true } : captured))

    const delivered = when("deliver-codes", { plan }, ({ plan }) => !!plan?.deliverable).then(() =>
      deliverCardCodesStep(
        transform({ plan }, ({ plan }) => ({ order_id: plan!.order_id, cart_id: plan!.cart_id, lines: plan!.lines, procure: plan!.from_cart }))
      )
    )

    // Lines the vault could not cover whose pool buys from a supplier: one purchase each, announced after the run.
    const purchases = when("procure-short-lines", { delivered }, ({ delivered }) => !!delivered?.short?.length).then(() =>
      createPassThroughOrdersStep(transform({ plan, delivered }, ({ plan, delivered }) => ({ order_id: plan!.order_id, short: delivered!.short })))
    )
    when("emit-pass-through-created", { purchases }, ({ purchases }) => !!purchases?.created_ids.length).then(() =>
      emitEventStep({
        eventName: SupplierEvents.ORDER_CREATED,
        data: transform({ purchases, input }, ({ purchases, input }) => purchases!.created_ids.map((id) => ({ id, order_id: input.order_id }))),
      }).config({ name: "emit-pass-through-created-event" })
    )

    // The lines whose codes are all there (a bundle's: every component's) and that no digital fulfillment holds yet.
    const toFulfil = transform({ plan, delivered }, ({ plan, delivered }) => {
      if (!plan?.deliverable || !delivered) return []
      const codes = new Map<string, { needed: number; quantity: number }>()
      for (const l of plan.lines) {
        const line = codes.get(l.line_item_id) ?? { needed: 0, quantity: l.line_quantity }
        line.needed += l.quantity
        codes.set(l.line_item_id, line)
      }
      return [...codes]
        .filter(([id, line]) => (delivered.held[id] ?? 0) >= line.needed && !plan.fulfilled[id])
        .map(([id, line]) => ({ id, quantity: line.quantity }))
    })

    const created = when(
      "create-digital-fulfillment",
      { plan, toFulfil },
      ({ plan, toFulfil }) => !!plan?.deliverable && toFulfil.length > 0 && !!plan.shipping_option_id && !!plan.location_id
    ).then(() =>
      createOrderFulfillmentWorkflow.runAsStep({
        input: transform({ plan, toFulfil }, ({ plan, toFulfil }) => ({
          order_id: plan!.order_id,
          items: toFulfil,
          location_id: plan!.location_id!,
          shipping_option_id: plan!.shipping_option_id!,
          no_notification: true,
          metadata: { virtual_goods: true },
        })),
      })
    )

    const fulfillmentId = transform({ plan, created }, ({ plan, created }) => created?.id ?? plan?.undelivered_fulfillment_id ?? null)

    when(
      "mark-digital-fulfillment-delivered",
      { plan, fulfillmentId },
      ({ plan, fulfillmentId }) => !!plan?.deliverable && !!fulfillmentId
    ).then(() =>
      markOrderFulfillmentAsDeliveredWorkflow.runAsStep({
        input: transform({ plan, fulfillmentId }, ({ plan, fulfillmentId }) => ({
          orderId: plan!.order_id,
          fulfillmentId: fulfillmentId as string,
        })),
      })
    )

    // No inventory sync here: a virtual variant's stock is the vault's (the variant is not managed by Medusa's
    // inventory); the display mirror catches up at the next sync, and counting a large pool on every order would be
    // the costliest part of delivery.
    // Only when the order holds codes (an order whose every line is being bought waits for them).
    when(
      "notify-after-delivery",
      { plan, input, delivered },
      ({ plan, input, delivered }) => !!plan?.deliverable && input.notify !== false && !!delivered?.code_ids.length
    ).then(() => {
      sendDeliveryNotificationStep(
        transform({ plan }, ({ plan }) => ({ order_id: plan!.order_id, display_id: plan!.display_id, email: plan!.email }))
      )
    })

    when("emit-codes-delivered", { delivered }, ({ delivered }) => !!delivered?.delivered_now?.length).then(() =>
      emitEventStep({
        eventName: VirtualGoodsEvents.CODES_DELIVERED,
        data: transform({ input, delivered }, ({ input, delivered }) => ({ order_id: input.order_id, code_count: delivered!.code_ids.length })),
      }).config({ name: "emit-codes-delivered-event" })
    )
    when("emit-delivery-held", { plan }, ({ plan }) => !!plan?.held_for_review).then(() =>
      emitEventStep({
        eventName: VirtualGoodsEvents.DELIVERY_HELD,
        data: transform({ input }, ({ input }) => ({ order_id: input.order_id, reason: "risk_review" })),
      }).config({ name: "emit-delivery-held-event" })
    )

    releaseLockStep({ key: lockKey, executeOnSubWorkflow: true })

    return new WorkflowResponse(
      transform({ input, plan, delivered, purchases }, ({ input, plan, delivered, purchases }): DeliverOrderCodesWorkflowOutput => ({
        order_id: input.order_id,
        status: !plan
          ? "not_found"
          : plan.held_for_review
            ? "held_for_review"
            : delivered?.short?.length
            ? "procuring"
            : plan.deliverable || plan.already_delivered
            ? "delivered"
            : plan.lines.length && !plan.captured && !plan.refunded && !plan.canceled
              ? "awaiting_payment"
              : "not_deliverable",
        code_ids: delivered?.code_ids ?? [],
        delivered_now: delivered?.delivered_now ?? [],
        supplier_order_ids: purchases?.ids ?? [],
      }))
    )
  }
)
