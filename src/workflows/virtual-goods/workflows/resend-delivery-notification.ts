import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { useQueryGraphStep } from "@medusajs/medusa/core-flows"
import type { CardActor } from "../../../modules/card-vault/service"
import { recordResendStep, sendDeliveryNotificationStep } from "../steps"

export type ResendDeliveryNotificationWorkflowInput = { order_id: string; actor: CardActor; reason?: string | null }

export const resendDeliveryNotificationWorkflowId = "resend-card-delivery-notification"

/** What the delivery notification needs of the order. */
type OrderContactRow = { id: string; email: string | null; display_id: number | null }

/**
 * Sends an order's "your codes are ready" notification again at an admin's request (a lost email, a typo fixed in
 * the address): audited as `resend`, a fresh guest reveal link, masks only — never a code. Each request sends one
 * notification; an order without delivered codes is refused.
 *
 * @example
 * const { result } = await resendDeliveryNotificationWorkflow(container).run({
 *   input: { order_id: "order_123", actor: { type: "user", id: "user_123" } },
 * })
 *
 * @summary Send an order's delivery notification again.
 */
export const resendDeliveryNotificationWorkflow = createWorkflow(
  resendDeliveryNotificationWorkflowId,
  (input: ResendDeliveryNotificationWorkflowInput) => {
    const { data: orders } = useQueryGraphStep({
      entity: "order",
      fields: ["id", "email", "display_id"],
      filters: transform({ input }, ({ input }) => ({ id: input.order_id })),
      options: { throwIfKeyNotFound: true },
    })
    const resend = recordResendStep(input)
    const sent = sendDeliveryNotificationStep(
      transform({ input, orders, resend }, ({ input, orders, resend }) => ({
        order_id: input.order_id,
        display_id: (orders as OrderContactRow[])[0]?.display_id ?? null,
        email: (orders as OrderContactRow[])[0]?.email ?? null,
        resend_id: resend.resend_id,
      }))
    )
    return new WorkflowResponse(
      transform({ resend, sent }, ({ resend, sent }) => ({ resend_id: resend.resend_id, code_ids: resend.code_ids, ...sent }))
    )
  }
)
