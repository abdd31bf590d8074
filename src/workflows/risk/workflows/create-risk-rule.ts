import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import type { RiskRuleInput } from "../../../modules/risk/evaluate"
import { createRiskRuleStep } from "../steps"

export const createRiskRuleWorkflowId = "create-risk-rule"

/**
 * Adds a risk rule; a malformed one is refused with the field and the reason.
 *
 * @example
 * await createRiskRuleWorkflow(container).run({ input: { name: "Big orders", kind: "order_amount", threshold: 500, action: "review" } })
 *
 * @summary Add a risk rule.
 */
export const createRiskRuleWorkflow = createWorkflow(createRiskRuleWorkflowId, (input: Partial<RiskRuleInput>) => {
  return new WorkflowResponse(createRiskRuleStep(input))
})
