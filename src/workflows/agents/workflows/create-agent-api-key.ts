import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createAgentApiKeyStep, CreateAgentApiKeyStepInput } from "../steps"

export type CreateAgentApiKeyWorkflowInput = CreateAgentApiKeyStepInput

export const createAgentApiKeyWorkflowId = "create-agent-api-key"

/**
 * Stores a new wholesale API key of an agent (prefix and secret hash only; the caller shows the key once).
 *
 * @example
 * const { prefix, secret_hash } = newAgentKey()
 * await createAgentApiKeyWorkflow(container).run({ input: { agent_id, name: "ERP", scopes: ["orders:write"], prefix, secret_hash } })
 *
 * @summary Create an agent's API key.
 */
export const createAgentApiKeyWorkflow = createWorkflow(createAgentApiKeyWorkflowId, (input: CreateAgentApiKeyWorkflowInput) => {
  return new WorkflowResponse(createAgentApiKeyStep(input))
})
