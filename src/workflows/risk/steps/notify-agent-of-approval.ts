import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../../agents/utils/agents-module"
import { riskModule } from "../utils/risk-module"

export const notifyAgentOfApprovalStepId = "notify-agent-of-approval"

/**
 * When an approved order is an agent's wholesale order, queues the `agent_order.delivered` webhook (its codes can now
 * be fetched). Compensation removes it unsent.
 */
export const notifyAgentOfApprovalStep = createStep(
  notifyAgentOfApprovalStepId,
  async (input: { decision_id: string; order_id: string }, { container }) => {
    const decision = await riskModule(container).retrieveRiskDecision(input.decision_id)
    if (decision.subject_type !== "agent_order") return new StepResponse({ queued: false }, null)
    const agents = agentsModule(container)
    const [order] = await agents.listAgentOrders({ id: decision.subject_id })
    if (!order) return new StepResponse({ queued: false }, null)
    const queued = await agents.queueWebhook({
      agent_id: order.agent_id,
      event: "agent_order.delivered",
      payload: { id: order.id, order_id: input.order_id, display_id: order.display_id ?? null },
    })
    return new StepResponse({ queued: !!queued }, queued?.id ?? null)
  },
  async (id, { container }) => {
    if (id) await agentsModule(container).discardWebhook(id)
  }
)
