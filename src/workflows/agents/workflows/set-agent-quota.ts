import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { setAgentQuotaStep, SetAgentQuotaStepInput } from "../steps"

export type SetAgentQuotaWorkflowInput = SetAgentQuotaStepInput

export const setAgentQuotaWorkflowId = "set-agent-quota"

/**
 * Sets or replaces an agent's quota for a variant (in total, or per UTC day, week or month).
 *
 * @example
 * await setAgentQuotaWorkflow(container).run({ input: { agent_id, variant_id: "variant_123", limit: 500, period: "day" } })
 *
 * @summary Set an agent's quota for a variant.
 */
export const setAgentQuotaWorkflow = createWorkflow(setAgentQuotaWorkflowId, (input: SetAgentQuotaWorkflowInput) => {
  return new WorkflowResponse(setAgentQuotaStep(input))
})
