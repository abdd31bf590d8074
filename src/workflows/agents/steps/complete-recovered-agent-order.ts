import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"
import type { StaleAgentOrder } from "./inspect-stale-agent-order"

export type CompleteRecoveredAgentOrderStepInput = StaleAgentOrder

export const completeRecoveredAgentOrderStepId = "complete-recovered-agent-order"

/**
 * Records the recovered order as complete and queues its webhook, as the request would have.
 *
 * @example
 * completeRecoveredAgentOrderStep(state)
 */
export const completeRecoveredAgentOrderStep = createStep(
  completeRecoveredAgentOrderStepId,
  async (input: CompleteRecoveredAgentOrderStepInput, { container }) => {
    const service = agentsModule(container)
    await service.queueWebhook({
      agent_id: input.agent_id!,
      event: "agent_order.completed",
      payload: {
        id: input.agent_order_id,
        order_id: input.order_id,
        display_id: input.display_id,
        currency_code: input.currency_code,
        total: input.total,
        items: input.items.map((l) => ({ variant_id: l.variant_id, quantity: l.quantity, unit_price: l.unit_price })),
      },
    })
    await service.completeOrder({
      id: input.agent_order_id,
      order_id: input.order_id!,
      display_id: input.display_id,
      currency_code: input.currency_code!,
      total: input.total!,
      items: input.items,
      agent_chain: input.agent_chain,
      transaction_id: input.transaction_id!,
    })
    return new StepResponse(void 0)
  }
)
