import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import { auditRiskReviewStep, decideRiskReviewStep, releaseRejectedReservationsStep, sendRejectionNotificationStep } from "../steps"
import type { RiskReviewInput } from "./approve-risk-review"

export const rejectRiskReviewWorkflowId = "reject-risk-review"

/**
 * Rejects a held order: the decision becomes `rejected` (once), the order is canceled with Medusa's own workflow
 * (which refunds the captured payment), the codes its checkout reserved go back to stock (none was delivered or
 * revealed), the rejection is audited, and the customer is told.
 *
 * @example
 * await rejectRiskReviewWorkflow(container).run({ input: { decision_id: "rdec_123", user_id: "user_123", note: "stolen card" } })
 *
 * @summary Reject an order held for review.
 */
export const rejectRiskReviewWorkflow = createWorkflow(rejectRiskReviewWorkflowId, (input: RiskReviewInput) => {
  const decided = decideRiskReviewStep(transform({ input }, ({ input }) => ({ ...input, status: "rejected" as const })))
  cancelOrderWorkflow.runAsStep({
    input: transform({ decided, input }, ({ decided, input }) => ({ order_id: decided.order_id, canceled_by: input.user_id ?? undefined })),
  })
  releaseRejectedReservationsStep(transform({ decided }, ({ decided }) => ({ cart_id: decided.cart_id })))
  auditRiskReviewStep(
    transform({ decided, input }, ({ decided, input }) => ({ ...decided, status: "rejected" as const, user_id: input.user_id, note: input.note ?? null }))
  )
  sendRejectionNotificationStep(transform({ decided }, ({ decided }) => ({ order_id: decided.order_id })))
  return new WorkflowResponse(decided)
})
