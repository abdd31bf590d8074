import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type FinishAgentOrderBookkeepingStepInput = {
  agent_order_id: string
  agent_id: string
  /** The `agent_order.completed` webhook's data (ids and amounts, never a code). */
  payload: Record<string, unknown>
}

export const finishAgentOrderBookkeepingStepId = "finish-agent-order-bookkeeping"

/**
 * Closes the bookkeeping and queues the agent's `agent_order.completed` webhook with its Medusa order (the workflow
 * asserts before it that the delivery bound every code). Last step.
 *
 * @example
 * finishAgentOrderBookkeepingStep({ agent_order_id, agent_id, payload })
 */
export const finishAgentOrderBookkeepingStep = createStep(
  finishAgentOrderBookkeepingStepId,
  async (input: FinishAgentOrderBookkeepingStepInput, { container }) => {
    const result = await agentsModule(container).finishBookkeeping({
      id: input.agent_order_id,
      webhook: { agent_id: input.agent_id, event: "agent_order.completed", payload: input.payload },
    })
    return new StepResponse(result)
  }
)
