import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { removeAgentQuotaStep, RemoveAgentQuotaStepInput } from "../steps"

export type RemoveAgentQuotaWorkflowInput = RemoveAgentQuotaStepInput

export const removeAgentQuotaWorkflowId = "remove-agent-quota"

/**
 * Removes an agent's quota for a variant: no limit from then on.
 *
 * @example
 * await removeAgentQuotaWorkflow(container).run({ input: { agent_id, quota_id: "agquota_123" } })
 *
 * @summary Remove an agent's quota.
 */
export const removeAgentQuotaWorkflow = createWorkflow(removeAgentQuotaWorkflowId, (input: RemoveAgentQuotaWorkflowInput) => {
  return new WorkflowResponse(removeAgentQuotaStep(input))
})
