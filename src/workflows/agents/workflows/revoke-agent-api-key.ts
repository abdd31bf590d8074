import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { revokeAgentApiKeyStep, RevokeAgentApiKeyStepInput } from "../steps"

export type RevokeAgentApiKeyWorkflowInput = RevokeAgentApiKeyStepInput

export const revokeAgentApiKeyWorkflowId = "revoke-agent-api-key"

/**
 * Revokes an agent's wholesale API key: the next request with it is refused.
 *
 * @example
 * await revokeAgentApiKeyWorkflow(container).run({ input: { agent_id, key_id: "agkey_123" } })
 *
 * @summary Revoke an agent's API key.
 */
export const revokeAgentApiKeyWorkflow = createWorkflow(revokeAgentApiKeyWorkflowId, (input: RevokeAgentApiKeyWorkflowInput) => {
  return new WorkflowResponse(revokeAgentApiKeyStep(input))
})
