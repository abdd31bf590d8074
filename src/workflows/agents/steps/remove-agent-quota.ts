import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type RemoveAgentQuotaStepInput = {
  agent_id: string
  /** The quota to remove (one of the agent's). */
  quota_id: string
}

export const removeAgentQuotaStepId = "remove-agent-quota"

/**
 * Removes an agent's quota for a variant (no limit from then on). Compensation restores it.
 *
 * @example
 * removeAgentQuotaStep({ agent_id, quota_id: "agquota_123" })
 */
export const removeAgentQuotaStep = createStep(
  removeAgentQuotaStepId,
  async (input: RemoveAgentQuotaStepInput, { container }) => {
    const service = agentsModule(container)
    const [quota] = await service.listAgentQuotas({ id: input.quota_id, agent_id: input.agent_id })
    if (!quota) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Quota ${input.quota_id} of agent ${input.agent_id} was not found`)
    await service.softDeleteAgentQuotas([quota.id])
    return new StepResponse({ id: quota.id }, quota.id)
  },
  async (id, { container }) => {
    if (id) await agentsModule(container).restoreAgentQuotas([id])
  }
)
