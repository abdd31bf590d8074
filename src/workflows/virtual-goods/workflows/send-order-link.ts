import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import { sendDeliveryNotificationStep } from "../steps"

export type SendOrderLinkWorkflowInput = { order_id: string }

export const sendOrderLinkWorkflowId = "send-card-order-link"

/** Guest lookups of one order within this window share one email. */
export const ORDER_LINK_WINDOW_MS = 10 * 60_000

/**
 * Mails a fresh guest link to an order's address after a guest's order lookup (`virtual_goods.order_link.requested`):
 * the delivery notification again, worded for a lookup, masks only. At most one per order per ten minutes (the
 * notification's idempotency key carries the window), so lookups cannot flood a mailbox.
 *
 * @summary Mail a fresh guest link after an order lookup.
 */
export const sendOrderLinkWorkflow = createWorkflow(sendOrderLinkWorkflowId, (input: SendOrderLinkWorkflowInput) => {
  const { data: orders } = useQueryGraphStep({
    entity: "order",
    fields: ["id", "email", "display_id"],
    filters: transform({ input }, ({ input }) => ({ id: input.order_id })),
    options: { throwIfKeyNotFound: true },
  })
  const sent = sendDeliveryNotificationStep(
    transform({ input, orders }, ({ input, orders }) => {
      const order = orders[0] as { display_id?: number | null; email?: string | null } | undefined
      return {
        order_id: input.order_id,
        display_id: order?.display_id ?? null,
        email: order?.email ?? null,
        lookup_window: String(Math.floor(Date.now() / ORDER_LINK_WINDOW_MS)),
      }
    })
  )
  return new WorkflowResponse(sent)
})
