import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { deleteRiskRuleStep } from "../steps"

export const deleteRiskRuleWorkflowId = "delete-risk-rule"

/**
 * Removes a risk rule. Decisions taken with it keep their reasons.
 *
 * @example
 * await deleteRiskRuleWorkflow(container).run({ input: { id: "rrule_123" } })
 *
 * @summary Remove a risk rule.
 */
export const deleteRiskRuleWorkflow = createWorkflow(deleteRiskRuleWorkflowId, (input: { id: string }) => {
  return new WorkflowResponse(deleteRiskRuleStep(input))
})
