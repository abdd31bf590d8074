import { MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { cancelOrderWorkflow } from "@medusajs/medusa/core-flows"
import type { RiskRuleInput } from "../../modules/risk/evaluate"
import { deliverOrderCodesWorkflow } from "../virtual-goods/workflows/deliver-order-codes"
import {
  auditRiskReviewStep,
  createRiskRuleStep,
  decideRiskReviewStep,
  deleteRiskRuleStep,
  notifyAgentOfApprovalStep,
  releaseRejectedReservationsStep,
  sendRejectionNotificationStep,
  updateRiskRuleStep,
} from "./steps"

/** Adds a risk rule; a malformed one is refused with the field and the reason. */
export const createRiskRuleWorkflow = createWorkflow("create-risk-rule", (input: Partial<RiskRuleInput>) => {
  return new WorkflowResponse(createRiskRuleStep(input))
})

/** Changes a risk rule (enable, disable, thresholds, lists). */
export const updateRiskRuleWorkflow = createWorkflow("update-risk-rule", (input: Partial<RiskRuleInput> & { id: string }) => {
  return new WorkflowResponse(updateRiskRuleStep(input))
})

/** Removes a risk rule. Decisions taken with it keep their reasons. */
export const deleteRiskRuleWorkflow = createWorkflow("delete-risk-rule", (input: { id: string }) => {
  return new WorkflowResponse(deleteRiskRuleStep(input))
})

const assertDeliveredStep = createStep("assert-approved-order-delivered", async (input: { order_id: string; status: string }) => {
  if (input.status !== "delivered" && input.status !== "awaiting_payment") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Order ${input.order_id} could not be delivered (${input.status})`)
  }
  return new StepResponse(void 0)
})

export type RiskReviewInput = { decision_id: string; user_id: string | null; note?: string | null }

/**
 * Approves a held order: the decision becomes `approved` (once), the order's codes are delivered exactly once (the
 * delivery workflow, idempotent per order line), an agent whose wholesale order it was gets the
 * `agent_order.delivered` webhook, and the approval is audited with the admin.
 */
export const approveRiskReviewWorkflow = createWorkflow("approve-risk-review", (input: RiskReviewInput) => {
  const decided = decideRiskReviewStep(transform({ input }, ({ input }) => ({ ...input, status: "approved" as const })))
  const delivery = deliverOrderCodesWorkflow.runAsStep({ input: transform({ decided }, ({ decided }) => ({ order_id: decided.order_id })) })
  assertDeliveredStep(transform({ decided, delivery }, ({ decided, delivery }) => ({ order_id: decided.order_id, status: delivery.status })))
  notifyAgentOfApprovalStep(transform({ decided }, ({ decided }) => ({ decision_id: decided.decision_id, order_id: decided.order_id })))
  auditRiskReviewStep(
    transform({ decided, input }, ({ decided, input }) => ({ ...decided, status: "approved" as const, user_id: input.user_id, note: input.note ?? null }))
  )
  return new WorkflowResponse(transform({ decided, delivery }, ({ decided, delivery }) => ({ ...decided, delivery_status: delivery.status })))
})

/**
 * Rejects a held order: the decision becomes `rejected` (once), the order is canceled with Medusa's own workflow
 * (which refunds the captured payment), the codes its checkout reserved go back to stock (none was delivered or
 * revealed), the rejection is audited, and the customer is told.
 */
export const rejectRiskReviewWorkflow = createWorkflow("reject-risk-review", (input: RiskReviewInput) => {
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
