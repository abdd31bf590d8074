import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { adjustAgentStep, AdjustAgentStepInput } from "../steps"

export type AdjustAgentWorkflowInput = AdjustAgentStepInput

export const adjustAgentWorkflowId = "adjust-agent"

/**
 * A manual, signed correction of an agent's balance with its reason, posted to the ledger with who made it.
 *
 * @example
 * await adjustAgentWorkflow(container).run({ input: { agent_id, currency_code: "cny", amount: "-12.5", note: "duplicate top-up", actor } })
 *
 * @summary Adjust an agent's balance.
 */
export const adjustAgentWorkflow = createWorkflow(adjustAgentWorkflowId, (input: AdjustAgentWorkflowInput) => {
  return new WorkflowResponse(adjustAgentStep(input))
})
