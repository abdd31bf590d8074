import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type CreateAgentApiKeyStepInput = {
  agent_id: string
  name: string
  /** What the key may do (`catalog:read`, `orders:read`, `orders:write`). */
  scopes: string[]
  /** When the key stops working (ISO date; null: never). */
  expires_at?: string | null
  /** The key's public prefix. */
  prefix: string
  /** The hash of the key's secret: the secret itself never enters a workflow. */
  secret_hash: string
  /** The admin user who created it. */
  created_by?: string | null
}

export const createAgentApiKeyStepId = "create-agent-api-key"

/**
 * Stores a key (its prefix and the hash of its secret: the secret itself never enters a workflow). Compensation
 * deletes it.
 *
 * @example
 * const { id } = createAgentApiKeyStep({ agent_id, name: "ERP", scopes: ["orders:write"], prefix, secret_hash })
 */
export const createAgentApiKeyStep = createStep(
  createAgentApiKeyStepId,
  async (input: CreateAgentApiKeyStepInput, { container }) => {
    const key = await agentsModule(container).createApiKey({ ...input, expires_at: input.expires_at ? new Date(input.expires_at) : null })
    return new StepResponse({ id: key.id }, key.id)
  },
  async (id, { container }) => {
    if (!id) return
    await agentsModule(container).softDeleteAgentApiKeys([id])
  }
)
