import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { AGENTS_MODULE } from "../../../modules/agents"

export type LinkRecoveredAgentOrderStepInput = {
  agent_order_id: string
  order_id: string
  /** The link exists already: nothing to do. */
  linked: boolean
}

export const linkRecoveredAgentOrderStepId = "link-recovered-agent-order"

/**
 * Links the agent order to its Medusa order when the cut-off request had not yet. Compensation removes that link.
 *
 * @example
 * linkRecoveredAgentOrderStep({ agent_order_id: "aord_123", order_id: "order_123", linked: false })
 */
export const linkRecoveredAgentOrderStep = createStep(
  linkRecoveredAgentOrderStepId,
  async (input: LinkRecoveredAgentOrderStepInput, { container }) => {
    if (input.linked) return new StepResponse(void 0, null)
    const link = container.resolve(ContainerRegistrationKeys.LINK)
    const definition = { [AGENTS_MODULE]: { agent_order_id: input.agent_order_id }, [Modules.ORDER]: { order_id: input.order_id } }
    await link.create([definition])
    return new StepResponse(void 0, definition)
  },
  async (definition, { container }) => {
    if (!definition) return
    await container.resolve(ContainerRegistrationKeys.LINK).dismiss([definition])
  }
)
