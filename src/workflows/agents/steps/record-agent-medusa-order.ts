import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"
import { riskModule } from "../../risk/utils/risk-module"

export type RecordAgentMedusaOrderStepInput = {
  agent_order_id: string
  /** The Medusa order created for it. */
  order_id: string
  display_id: number | null
}

export const recordAgentMedusaOrderStepId = "record-agent-medusa-order"

/**
 * Records the Medusa order of an answered wholesale order on it (so an interrupted run picks it up instead of creating
 * another) and on its risk decision (a review then holds that order's delivery). Compensation forgets it again.
 *
 * @example
 * recordAgentMedusaOrderStep({ agent_order_id: "aord_123", order_id: "order_123", display_id: 42 })
 */
export const recordAgentMedusaOrderStep = createStep(
  recordAgentMedusaOrderStepId,
  async (input: RecordAgentMedusaOrderStepInput, { container }) => {
    await agentsModule(container).recordBookkeepingOrder({ id: input.agent_order_id, order_id: input.order_id, display_id: input.display_id })
    await riskModule(container).attachOrder({ subject_type: "agent_order", subject_id: input.agent_order_id, order_id: input.order_id })
    return new StepResponse(void 0, { id: input.agent_order_id, order_id: input.order_id })
  },
  async (recorded, { container }) => {
    if (!recorded) return
    await agentsModule(container).forgetBookkeepingOrder(recorded)
  }
)
