import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type FinishAgentOrderBookkeepingStepInput = {
  agent_order_id: string
  agent_id: string
  /** How the delivery of the Medusa order ended (`delivered`, `held_for_review`, or anything else: not done). */
  delivery_status: string | null
  /** The `agent_order.completed` webhook's data (ids and amounts, never a code). */
  payload: Record<string, unknown>
}

export const finishAgentOrderBookkeepingStepId = "finish-agent-order-bookkeeping"

/**
 * Closes the bookkeeping and queues the agent's `agent_order.completed` webhook with its Medusa order — unless the
 * delivery did not bind every code (then it fails, and the run is undone and tried again). Last step.
 *
 * @example
 * finishAgentOrderBookkeepingStep({ agent_order_id, agent_id, delivery_status: "delivered", payload })
 */
export const finishAgentOrderBookkeepingStep = createStep(
  finishAgentOrderBookkeepingStepId,
  async (input: FinishAgentOrderBookkeepingStepInput, { container }) => {
    if (input.delivery_status !== "delivered" && input.delivery_status !== "held_for_review") {
      throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, `Agent order ${input.agent_order_id}: its Medusa order could not be delivered (${input.delivery_status})`)
    }
    const result = await agentsModule(container).finishBookkeeping({
      id: input.agent_order_id,
      webhook: { agent_id: input.agent_id, event: "agent_order.completed", payload: input.payload },
    })
    return new StepResponse(result)
  }
)
