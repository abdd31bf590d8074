import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { topUpAgentStep, TopUpAgentStepInput } from "../steps"

export type TopUpAgentWorkflowInput = TopUpAgentStepInput

export const topUpAgentWorkflowId = "top-up-agent"

/**
 * Credits an agent's prepaid balance (a top-up), posted to the ledger against the house account, with who did it.
 *
 * @example
 * await topUpAgentWorkflow(container).run({ input: { agent_id, currency_code: "cny", amount: "1000", actor: { type: "user", id } } })
 *
 * @summary Top up an agent's balance.
 */
export const topUpAgentWorkflow = createWorkflow(topUpAgentWorkflowId, (input: TopUpAgentWorkflowInput) => {
  return new WorkflowResponse(topUpAgentStep(input))
})
