import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type ReplayAgentWebhookStepInput = {
  /** The webhook delivery to send again. */
  id: string
}

type WebhookDeliveryStatus = "pending" | "delivered" | "dead"

export const replayAgentWebhookStepId = "replay-agent-webhook"

/**
 * Puts a dead (or pending) webhook delivery back in the queue from its first attempt. Compensation restores its state.
 *
 * @example
 * replayAgentWebhookStep({ id: "agwh_123" })
 */
export const replayAgentWebhookStep = createStep(
  replayAgentWebhookStepId,
  async (input: ReplayAgentWebhookStepInput, { container }) => {
    const before = await agentsModule(container).replayWebhook(input.id)
    return new StepResponse({ id: input.id }, before)
  },
  async (before, { container }) => {
    if (!before) return
    await agentsModule(container).updateAgentWebhookDeliveries({
      id: before.id,
      status: before.status as WebhookDeliveryStatus,
      attempts: before.attempts,
      next_attempt_at: before.next_attempt_at,
    })
  }
)
