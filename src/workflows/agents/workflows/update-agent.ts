import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateAgentStep, UpdateAgentStepInput } from "../steps"

export type UpdateAgentWorkflowInput = UpdateAgentStepInput

export const updateAgentWorkflowId = "update-agent"

/**
 * Renames, freezes or unfreezes an agent, or changes its credit limit in a currency.
 *
 * @example
 * await updateAgentWorkflow(container).run({ input: { id: "agent_123", status: "frozen" } })
 *
 * @summary Update an agent.
 */
export const updateAgentWorkflow = createWorkflow(updateAgentWorkflowId, (input: UpdateAgentWorkflowInput) => {
  return new WorkflowResponse(updateAgentStep(input))
})
