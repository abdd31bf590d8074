import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { PaymentEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PAYMENT_FAILED_TEMPLATE } from "../../../utils/notification-templates"
import { recordPaymentFindingStep, releaseUnpaidCartStep, sendPaymentNotificationStep } from "../steps"

export type ReleaseUnpaidCartWorkflowInput = {
  cart_id: string
  /** `refused`: the order could not be placed (stock gone, risk control) and the card's authorization was released. */
  reason: "failed" | "canceled" | "expired" | "refused"
  /** The provider's explanation (e.g. "Your card was declined."), shown to the shopper. */
  message?: string | null
  provider_id?: string | null
  payment_intent_id?: string | null
  email: string | null
  locale?: string | null
}

export const releaseUnpaidCartWorkflowId = "release-unpaid-cart"

/**
 * A cart's payment failed, was canceled or ran out of time: its reserved codes go back to stock, its hold closes, the
 * finding is recorded (resolved), and the shopper is told by email that nothing was charged.
 *
 * @example
 * await releaseUnpaidCartWorkflow(container).run({ input: { cart_id: "cart_123", reason: "failed", email: "a@b.c" } })
 *
 * @summary Release the codes of a cart whose payment did not go through.
 */
export const releaseUnpaidCartWorkflow = createWorkflow(releaseUnpaidCartWorkflowId, (input: ReleaseUnpaidCartWorkflowInput) => {
  const released = releaseUnpaidCartStep(transform({ input }, ({ input }) => ({ cart_id: input.cart_id, reason: `payment ${input.reason}` })))
  const finding = recordPaymentFindingStep(
    transform({ input, released }, ({ input, released }) => ({
      kind: "payment_failed" as const,
      status: "resolved" as const,
      provider_id: input.provider_id ?? null,
      payment_intent_id: input.payment_intent_id ?? null,
      cart_id: input.cart_id,
      detail: `Payment ${input.reason}${input.message ? `: ${input.message}` : ""}`,
      resolution: `${released.released} reserved code(s) back to stock; the shopper was told`,
    }))
  )
  emitEventStep({
    eventName: PaymentEvents.FINDING_RECORDED,
    data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: null })),
  })
  sendPaymentNotificationStep(
    transform({ input }, ({ input }) => ({
      to: input.email ?? "",
      template: VIRTUAL_GOODS_PAYMENT_FAILED_TEMPLATE,
      idempotency_key: `virtual-goods-payment-failed:${input.cart_id}:${input.payment_intent_id ?? input.reason}`,
      resource_id: input.cart_id,
      resource_type: "cart",
      data: { cart_id: input.cart_id, reason: input.reason, message: input.message ?? null, locale: input.locale ?? null },
    }))
  )
  return new WorkflowResponse(released)
})
