import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type AgentQuotaPeriod = "none" | "day" | "week" | "month"

export type SetAgentQuotaStepInput = {
  agent_id: string
  variant_id: string
  /** How many codes of the variant the agent may buy per period. */
  limit: number
  /** `none` (in total, the default) or per UTC calendar day, week or month. */
  period?: AgentQuotaPeriod
}

export const setAgentQuotaStepId = "set-agent-quota"

/**
 * Sets an agent's quota for a variant. Compensation restores the previous quota (or removes a new one).
 *
 * @example
 * const { id } = setAgentQuotaStep({ agent_id, variant_id: "variant_123", limit: 500, period: "day" })
 */
export const setAgentQuotaStep = createStep(
  setAgentQuotaStepId,
  async (input: SetAgentQuotaStepInput, { container }) => {
    const service = agentsModule(container)
    const [before] = await service.listAgentQuotas({ agent_id: input.agent_id, variant_id: input.variant_id })
    const quota = await service.setQuota(input)
    return new StepResponse(
      { id: quota.id },
      {
        input,
        before: before
          ? { id: before.id, quota_limit: before.quota_limit, period: before.period as AgentQuotaPeriod, used: before.used, period_start: before.period_start }
          : null,
        id: quota.id,
      }
    )
  },
  async (data, { container }) => {
    if (!data) return
    const service = agentsModule(container)
    if (!data.before) await service.softDeleteAgentQuotas([data.id])
    else {
      const { id, quota_limit, period, used, period_start } = data.before
      await service.updateAgentQuotas({ id, quota_limit, period, used, period_start })
    }
  }
)
