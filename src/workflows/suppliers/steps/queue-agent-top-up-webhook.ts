import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../../agents/utils/agents-module"
import { suppliersModule } from "../utils/suppliers-module"

export type QueueAgentTopUpWebhookStepInput = { supplier_order_id: string }

export const queueAgentTopUpWebhookStepId = "queue-agent-top-up-webhook"

/**
 * Tells an agent how its wholesale top-up ended — `topup.succeeded` or `topup.failed` (a refund follows as
 * `topup.refunded`) — through its signed webhook: the ids, the status and the masked recipient only. Nothing for a
 * retail top-up or one still open. Compensation removes the queued delivery.
 */
export const queueAgentTopUpWebhookStep = createStep(
  queueAgentTopUpWebhookStepId,
  async (input: QueueAgentTopUpWebhookStepInput, { container }) => {
    const row = await suppliersModule(container).retrieveSupplierOrderRow(input.supplier_order_id)
    if (row.kind !== "topup" || !row.agent_order_id || row.order_id || (row.status !== "succeeded" && row.status !== "failed")) {
      return new StepResponse({ queued: false }, null)
    }
    const agents = agentsModule(container)
    const [order] = await agents.listAgentOrders({ id: row.agent_order_id }, { select: ["id", "agent_id"], take: 1 })
    if (!order) return new StepResponse({ queued: false }, null)
    const queued = await agents.queueWebhook({
      agent_id: order.agent_id,
      event: `topup.${row.status}`,
      payload: {
        agent_order_id: order.id,
        supplier_order_id: row.id,
        status: row.status,
        quantity: row.quantity,
        recipient: row.recipient_masked,
        ...(row.status === "failed" ? { reason: row.failure_reason?.slice(0, 200) ?? null } : {}),
      },
    })
    return new StepResponse({ queued: !!queued }, queued?.id ?? null)
  },
  async (id, { container }) => {
    if (id) await agentsModule(container).discardWebhook(id)
  }
)
