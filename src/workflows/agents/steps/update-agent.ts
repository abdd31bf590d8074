import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type UpdateAgentStepInput = {
  id: string
  name?: string
  /** `frozen` refuses the agent's wholesale requests until it is `active` again. */
  status?: "active" | "frozen"
  /** The credit limit in `currency_code` (exact decimal; not below what the agent owes). */
  credit_limit?: string | number
  currency_code?: string
}

export const updateAgentStepId = "update-agent"

/**
 * Changes an agent's name, status or credit limit. Compensation puts back what it was.
 *
 * @example
 * updateAgentStep({ id: "agent_123", status: "frozen" })
 */
export const updateAgentStep = createStep(
  updateAgentStepId,
  async (input: UpdateAgentStepInput, { container }) => {
    const before = await agentsModule(container).updateAgent(input)
    return new StepResponse({ id: input.id }, { id: input.id, input, before })
  },
  async (data, { container }) => {
    if (!data) return
    const { before, input } = data
    await agentsModule(container).updateAgent({
      id: data.id,
      ...(input.name !== undefined ? { name: before.name } : {}),
      ...(input.status !== undefined ? { status: before.status } : {}),
      ...(before.credit_limit !== null ? { credit_limit: before.credit_limit, currency_code: before.currency_code! } : {}),
    })
  }
)
