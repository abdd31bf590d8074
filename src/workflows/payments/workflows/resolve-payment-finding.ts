import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { resolvePaymentFindingStep } from "../steps"

export type ResolvePaymentFindingWorkflowInput = { id: string; note: string; resolved_by: string | null }

export const resolvePaymentFindingWorkflowId = "resolve-payment-finding"

/**
 * An admin resolves a payment finding with a note (who and when are kept).
 *
 * @example
 * await resolvePaymentFindingWorkflow(container).run({ input: { id: "pfnd_123", note: "refunded by phone", resolved_by: "user_1" } })
 *
 * @summary Resolve a payment finding.
 */
export const resolvePaymentFindingWorkflow = createWorkflow(resolvePaymentFindingWorkflowId, (input: ResolvePaymentFindingWorkflowInput) => {
  return new WorkflowResponse(resolvePaymentFindingStep(input))
})
