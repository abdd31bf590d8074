import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { PaymentEvents } from "../../../utils/events"
import { VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE } from "../../../utils/notification-templates"
import { auditPaymentDisputeStep, recordPaymentFindingStep, sendPaymentNotificationStep, unfreezeOrderCodesStep } from "../steps"

export type ClosePaymentDisputeWorkflowInput = {
  order_id: string
  dispute_id: string
  /** Stripe's final status: `won`, `lost` (or `warning_closed`, …). */
  dispute_status: string
  provider_id: string
  payment_intent_id: string | null
  amount: string
  currency_code: string
}

export type ClosePaymentDisputeWorkflowOutput = { finding_id: string; unfrozen: number; voided_code_ids: string[] }

export const closePaymentDisputeWorkflowId = "close-payment-dispute"

/**
 * A dispute closed (`charge.dispute.closed`). Won: the frozen codes can be revealed again, and the codes the freeze
 * voided are returned for replacement (the caller reissues them, one workflow per code). Lost (or anything else): the
 * codes stay as they are — the money went back to the payer. Either way the finding is resolved, audited, and the
 * admins are told.
 *
 * @example
 * await closePaymentDisputeWorkflow(container).run({ input: { order_id, dispute_id: "dp_1", dispute_status: "won", provider_id, payment_intent_id, amount: "10", currency_code: "usd" } })
 *
 * @summary Close a payment dispute.
 */
export const closePaymentDisputeWorkflow = createWorkflow(closePaymentDisputeWorkflowId, (input: ClosePaymentDisputeWorkflowInput) => {
  const restored = when("restore-won-dispute", { input }, ({ input }) => input.dispute_status === "won").then(() =>
    unfreezeOrderCodesStep(transform({ input }, ({ input }) => ({ order_id: input.order_id, dispute_id: input.dispute_id, reason: "payment dispute won" })))
  )
  auditPaymentDisputeStep(
    transform({ input }, ({ input }) => ({
      action: "dispute_closed" as const,
      order_id: input.order_id,
      dispute_id: input.dispute_id,
      payment_intent_id: input.payment_intent_id,
      status: input.dispute_status,
      reason: `payment dispute ${input.dispute_status}`,
    }))
  )
  const finding = recordPaymentFindingStep(
    transform({ input, restored }, ({ input, restored }) => ({
      kind: "dispute" as const,
      status: "resolved" as const,
      provider_id: input.provider_id,
      payment_intent_id: input.payment_intent_id,
      dispute_id: input.dispute_id,
      dispute_status: input.dispute_status,
      order_id: input.order_id,
      amount: input.amount,
      currency_code: input.currency_code,
      detail: `Payment dispute ${input.dispute_status}`,
      resolution:
        input.dispute_status === "won"
          ? `won: ${restored?.unfrozen ?? 0} code(s) revealable again, ${restored?.voided_code_ids.length ?? 0} voided code(s) replaced`
          : `${input.dispute_status}: the codes stay voided and frozen`,
    }))
  )
  emitEventStep({
    eventName: PaymentEvents.FINDING_RECORDED,
    data: transform({ finding }, ({ finding }) => ({ id: finding.id, kind: finding.kind, order_id: finding.order_id })),
  })
  sendPaymentNotificationStep(
    transform({ input, finding }, ({ input, finding }) => ({
      to: null,
      template: VIRTUAL_GOODS_PAYMENT_ALERT_TEMPLATE,
      idempotency_key: `virtual-goods-dispute-closed:${input.dispute_id}`,
      resource_id: input.order_id,
      resource_type: "order",
      data: {
        title: `Payment dispute ${input.dispute_status}: ${input.amount} ${input.currency_code.toUpperCase()}`,
        description: `The dispute on order ${input.order_id} was closed as ${input.dispute_status}.`,
        finding_id: finding.id,
        kind: "dispute",
        order_id: input.order_id,
      },
    }))
  )
  return new WorkflowResponse(
    transform({ finding, restored }, ({ finding, restored }): ClosePaymentDisputeWorkflowOutput => ({
      finding_id: finding.id,
      unfrozen: restored?.unfrozen ?? 0,
      voided_code_ids: restored?.voided_code_ids ?? [],
    }))
  )
})
