import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { RiskRuleInput } from "../../../modules/risk/evaluate"
import { updateRiskRuleStep } from "../steps"

export const updateRiskRuleWorkflowId = "update-risk-rule"

/**
 * Changes a risk rule (enable, disable, thresholds, lists); the result is checked as a whole.
 *
 * @example
 * await updateRiskRuleWorkflow(container).run({ input: { id: "rrule_123", enabled: false } })
 *
 * @summary Change a risk rule.
 */
export const updateRiskRuleWorkflow = createWorkflow(updateRiskRuleWorkflowId, (input: Partial<RiskRuleInput> & { id: string }) => {
  return new WorkflowResponse(updateRiskRuleStep(input))
})
