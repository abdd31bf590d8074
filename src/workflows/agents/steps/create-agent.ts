import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type CreateAgentStepInput = {
  /** The agent's display name. */
  name: string
  /** The agent above it in the tree (null: a top agent). */
  parent_id?: string | null
  /** The agent's tier: the customer group whose price list it buys at. */
  customer_group_id?: string | null
  /** The currency of its account. */
  currency_code: string
  /** How far below zero its balance may go (exact decimal). */
  credit_limit?: string | number
}

export const createAgentStepId = "create-agent"

/**
 * Creates the agent and its account. Compensation soft-deletes both (nothing can have been posted yet).
 *
 * @example
 * const created = createAgentStep({ name: "省代 Shenzhen", currency_code: "cny" })
 */
export const createAgentStep = createStep(
  createAgentStepId,
  async (input: CreateAgentStepInput, { container }) => {
    const created = await agentsModule(container).createAgentWithAccount(input)
    return new StepResponse(created, created)
  },
  async (created, { container }) => {
    if (!created) return
    await agentsModule(container).softDeleteAgentAccounts([created.account_id])
    await agentsModule(container).softDeleteAgents([created.agent_id])
  }
)
