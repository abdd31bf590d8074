import type { BigNumberInput } from "@medusajs/framework/types"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { PaymentEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE, VIRTUAL_GOODS_PAYMENT_REFUNDED_TEMPLATE } from "../../../utils/notification-templates"
import { recordPaymentFindingStep, refundUnfulfillablePaymentStep, releaseUnpaidCartStep, sendPaymentNotificationStep } from "../steps"

export type RefundUnfulfillablePaymentWorkflowInput = {
  cart_id: string
  payment_id: string
  payment_collection_id: string
  provider_id: string
  payment_intent_id: string | null
  /** Captured, in the currency's unit (exact). */
  amount: BigNumberInput
  currency_code: string
  /** Why the order cannot be placed (the cart completion's error). */
  reason: string
  email: string | null
  locale?: string | null
  /** Medusa's cart completion already refunded it (its compensation does when a completion fails after a capture). */
  already_refunded?: boolean
}

export const refundUnfulfillablePaymentWorkflowId = "refund-unfulfillable-payment"

/**
 * A captured payment whose cart cannot become an order (stock gone, refused by risk control): the cart's reserved
 * codes go back, the payment is refunded in full through Medusa, the finding is recorded, and the shopper and the
 * admins are told. The refund is the last money-moving step; the emails come after it.
 *
 * @example
 * await refundUnfulfillablePaymentWorkflow(container).run({ input: { cart_id, payment_id, payment_collection_id, provider_id, payment_intent_id, amount: "10", currency_code: "usd", reason: "Out of stock", email } })
 *
 * @summary Refund a payment whose order cannot be placed.
 */
export const refundUnfulfillablePaymentWorkflow = createWorkflow(
  refundUnfulfillablePaymentWorkflowId,
  (input: RefundUnfulfillablePaymentWorkflowInput) => {
    releaseUnpaidCartStep(transform({ input }, ({ input }) => ({ cart_id: input.cart_id, reason: "payment refunded: order could not be placed" })))
    when("refund-unless-refunded", { input }, ({ input }) => !input.already_refunded).then(() => {
      refundUnfulfillablePaymentStep(
        transform({ input }, ({ input }) => ({
          payment_id: input.payment_id,
          payment_collection_id: input.payment_collection_id,
          provider_id: input.provider_id,
          amount: input.amount,
          note: `Refunded by reconciliation: the order could not be placed (${input.reason.slice(0, 200)})`,
        }))
      )
    })
    const finding = recordPaymentFindingStep(
      transform({ input }, ({ input }) => ({
        kind: "refunded_automatically" as const,
        status: "resolved" as const,
        provider_id: input.provider_id,
        payment_intent_id: input.payment_intent_id,
        cart_id: input.cart_id,
        payment_id: input.payment_id,
        amount: input.amount,
        currency_code: input.currency_code,
        detail: `Captured without an order; the order could not be placed: ${input.reason.slice(0, 500)}`,
        resolution: "refunded in full; the shopper was told",
      }))
    )
    emitEventStep({
      eventName: PaymentEvents.FINDING_RECORDED,
      data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: null })),
    })
    sendPaymentNotificationStep(
      transform({ input }, ({ input }) => ({
        to: input.email ?? "",
        template: VIRTUAL_GOODS_PAYMENT_REFUNDED_TEMPLATE,
        idempotency_key: `virtual-goods-payment-refunded:${input.payment_id}`,
        resource_id: input.cart_id,
        resource_type: "cart",
        data: { cart_id: input.cart_id, amount: String(input.amount), currency_code: input.currency_code, reason: input.reason.slice(0, 200), locale: input.locale ?? null },
      }))
    ).config({ name: "tell-shopper-of-refund" })
    sendPaymentNotificationStep(
      transform({ input, finding }, ({ input, finding }) => ({
        to: null,
        template: VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE,
        idempotency_key: `virtual-goods-payment-alert:${finding.id}`,
        resource_id: input.cart_id,
        resource_type: "cart",
        data: {
          title: "Payment refunded: the order could not be placed",
          description: `A captured payment of ${String(input.amount)} ${input.currency_code.toUpperCase()} was refunded because its order could not be placed (${input.reason.slice(0, 200)}).`,
          finding_id: finding.id,
          kind: "refunded_automatically",
          order_id: null,
        },
      }))
    ).config({ name: "tell-admins-of-refund" })
    return new WorkflowResponse(transform({ finding }, ({ finding }) => ({ finding_id: finding.id })))
  }
)
