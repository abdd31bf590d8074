import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { PaymentEvents } from "../../../utils/events"
import { returnOrderCodesWorkflow } from "../../virtual-goods/workflows/return-order-codes"
import { recordPaymentFindingStep } from "../steps"

export type ApplyProviderRefundWorkflowInput = {
  order_id: string
  provider_id: string
  payment_intent_id: string
  /** Refunded so far and charged, exact decimal strings in the currency's unit. */
  amount_refunded: string
  amount: string
  currency_code: string
  fully_refunded: boolean
}

export const applyProviderRefundWorkflowId = "apply-provider-refund"

/**
 * A refund made at the provider (Stripe's dashboard, `charge.refunded`) follows the plugin's refund path: a full
 * refund takes the order's codes back (unrevealed to stock, revealed voided) and records a resolved finding; a partial
 * one leaves the codes and records an open finding for an admin to decide which codes to void. Safe to run twice.
 *
 * @example
 * await applyProviderRefundWorkflow(container).run({ input: { order_id, provider_id, payment_intent_id, amount_refunded: "10", amount: "10", currency_code: "usd", fully_refunded: true } })
 *
 * @summary Apply a refund made at the payment provider.
 */
export const applyProviderRefundWorkflow = createWorkflow(applyProviderRefundWorkflowId, (input: ApplyProviderRefundWorkflowInput) => {
  const returned = when("return-codes-after-full-refund", { input }, ({ input }) => input.fully_refunded).then(() =>
    returnOrderCodesWorkflow.runAsStep({
      input: transform({ input }, ({ input }) => ({ order_id: input.order_id, reason: "refunded at the payment provider" })),
    })
  )
  const finding = recordPaymentFindingStep(
    transform({ input, returned }, ({ input, returned }) => ({
      kind: "refunded_in_stripe" as const,
      status: input.fully_refunded ? ("resolved" as const) : ("open" as const),
      provider_id: input.provider_id,
      payment_intent_id: input.payment_intent_id,
      order_id: input.order_id,
      amount: input.amount_refunded,
      currency_code: input.currency_code,
      detail: input.fully_refunded
        ? `Refunded in full at the provider (${input.amount_refunded} ${input.currency_code.toUpperCase()})`
        : `Partly refunded at the provider: ${input.amount_refunded} of ${input.amount} ${input.currency_code.toUpperCase()}; the codes stay with the order`,
      resolution: returned
        ? `codes returned: ${returned.restocked.length} to stock, ${returned.voided.length} voided, ${returned.released.length} released`
        : null,
    }))
  )
  emitEventStep({
    eventName: PaymentEvents.FINDING_RECORDED,
    data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: finding.order_id })),
  })
  return new WorkflowResponse(
    transform({ finding, returned }, ({ finding, returned }) => ({
      finding_id: finding.id,
      restocked: returned?.restocked.length ?? 0,
      voided: returned?.voided.length ?? 0,
    }))
  )
})
