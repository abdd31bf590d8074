import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deliverOrderCodesWorkflow } from "../../virtual-goods/workflows/deliver-order-codes"
import { assertOrderDeliveredStep } from "../../virtual-goods/steps/assert-order-delivered"
import { auditRiskReviewStep, decideRiskReviewStep, notifyAgentOfApprovalStep } from "../steps"

export type RiskReviewInput = { decision_id: string; user_id: string | null; note?: string | null }

export const approveRiskReviewWorkflowId = "approve-risk-review"

/**
 * Approves a held order: the decision becomes `approved` (once), the order's codes are delivered exactly once (the
 * delivery workflow, idempotent per order line), an agent whose wholesale order it was gets the
 * `agent_order.delivered` webhook, and the approval is audited with the admin.
 *
 * @example
 * await approveRiskReviewWorkflow(container).run({ input: { decision_id: "rdec_123", user_id: "user_123" } })
 *
 * @summary Approve an order held for review.
 */
export const approveRiskReviewWorkflow = createWorkflow(approveRiskReviewWorkflowId, (input: RiskReviewInput) => {
  const decided = decideRiskReviewStep(transform({ input }, ({ input }) => ({ ...input, status: "approved" as const })))
  const delivery = deliverOrderCodesWorkflow.runAsStep({ input: transform({ decided }, ({ decided }) => ({ order_id: decided.order_id })) })
  // An approval whose delivery neither delivered nor waits for the payment is undone (the decision reopens).
  assertOrderDeliveredStep(
    transform({ decided, delivery }, ({ decided, delivery }) => ({
      subject: `Order ${decided.order_id}`,
      status: delivery.status,
      allowed: ["delivered", "awaiting_payment"],
      refusal: "not_allowed" as const,
    }))
  ).config({ name: "assert-approved-order-delivered" })
  notifyAgentOfApprovalStep(transform({ decided }, ({ decided }) => ({ decision_id: decided.decision_id, order_id: decided.order_id })))
  auditRiskReviewStep(
    transform({ decided, input }, ({ decided, input }) => ({ ...decided, status: "approved" as const, user_id: input.user_id, note: input.note ?? null }))
  )
  return new WorkflowResponse(transform({ decided, delivery }, ({ decided, delivery }) => ({ ...decided, delivery_status: delivery.status })))
})
