import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type RevokeAgentApiKeyStepInput = {
  agent_id: string
  /** The key to revoke (one of the agent's). */
  key_id: string
}

export const revokeAgentApiKeyStepId = "revoke-agent-api-key"

/**
 * Revokes a key. Compensation lifts a revocation this step made (not one made before).
 *
 * @example
 * revokeAgentApiKeyStep({ agent_id, key_id: "agkey_123" })
 */
export const revokeAgentApiKeyStep = createStep(
  revokeAgentApiKeyStepId,
  async (input: RevokeAgentApiKeyStepInput, { container }) => {
    const service = agentsModule(container)
    const before = await service.retrieveAgentApiKey(input.key_id).catch(() => null)
    const revoked = await service.revokeApiKey(input)
    return new StepResponse(revoked, { key_id: input.key_id, was_revoked: !!before?.revoked_at })
  },
  async (data, { container }) => {
    if (!data || data.was_revoked) return
    await agentsModule(container).updateAgentApiKeys({ id: data.key_id, revoked_at: null })
  }
)
