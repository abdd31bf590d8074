import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { VirtualGoodsEvents } from "../../../utils/events"
import { holdOrderDeliveryStep } from "../steps/hold-order-delivery"

export type HoldOrderDeliveryWorkflowInput = { order_id: string; reason: string }

export const holdOrderDeliveryWorkflowId = "hold-order-delivery"

/**
 * Holds an order's delivery that could not complete (out of stock, a failing step) and emits
 * `virtual_goods.delivery.held`, so a host app can tell someone (not for an order already delivered by another run,
 * which stays delivered). Run by the delivery launcher when the delivery
 * workflow fails; the sweep job retries held orders.
 *
 * @example
 * await holdOrderDeliveryWorkflow(container).run({ input: { order_id: "order_123", reason: "Out of stock: …" } })
 *
 * @summary Hold an order's delivery with the reason.
 */
export const holdOrderDeliveryWorkflow = createWorkflow(holdOrderDeliveryWorkflowId, (input: HoldOrderDeliveryWorkflowInput) => {
  const held = holdOrderDeliveryStep(input)
  // An order a duplicate run already delivered (or whose codes came back) is not held: nothing to announce.
  when("announce-held-delivery", { held }, ({ held }) => held.held).then(() =>
    emitEventStep({
      eventName: VirtualGoodsEvents.DELIVERY_HELD,
      data: transform({ input }, ({ input }) => ({ order_id: input.order_id, reason: input.reason.slice(0, 1000) })),
    })
  )
  return new WorkflowResponse(held)
})
