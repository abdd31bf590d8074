import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { VirtualGoodsEvents } from "../../../utils/events"
import { findOrderForLookupStep } from "../steps"

export type RequestOrderLinkWorkflowInput = { email: string; display_id: number }

export const requestOrderLinkWorkflowId = "request-card-order-link"

/**
 * A guest's order lookup (email + order number): when they match an order with delivered codes, emits
 * `virtual_goods.order_link.requested` and a subscriber mails a fresh guest link to the order's address
 * (`sendOrderLinkWorkflow`). The caller learns nothing either way — it answers the same, and the email goes only to
 * the address the order was placed with.
 *
 * @summary Ask for a fresh guest link to an order's codes.
 */
export const requestOrderLinkWorkflow = createWorkflow(requestOrderLinkWorkflowId, (input: RequestOrderLinkWorkflowInput) => {
  const found = findOrderForLookupStep(input)
  when({ found }, ({ found }) => Boolean(found.order_id)).then(() => {
    emitEventStep({
      eventName: VirtualGoodsEvents.ORDER_LINK_REQUESTED,
      data: transform({ found }, ({ found }) => ({ order_id: found.order_id as string })),
    })
  })
  return new WorkflowResponse({ requested: true })
})
