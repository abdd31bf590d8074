import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { sendAgentWebhooksStep, type SendAgentWebhooksStepInput } from "../steps/send-agent-webhooks"

export type SendAgentWebhooksWorkflowInput = SendAgentWebhooksStepInput

export const sendAgentWebhooksWorkflowId = "send-agent-webhooks"

/**
 * Sends the agents' due webhook deliveries, signed, with backoff and a dead-letter list (see `sendAgentWebhooksStep`).
 * Run by the webhook job; deliveries are claimed with SKIP LOCKED and leased, so several instances may run it at once.
 *
 * @summary Send the agents' due webhooks.
 *
 * @example
 * const { result } = await sendAgentWebhooksWorkflow(container).run({ input: { limit: 50 } })
 * // result: [{ id, status: "delivered" | "pending" | "dead", attempts, last_status, last_error }]
 */
export const sendAgentWebhooksWorkflow = createWorkflow(sendAgentWebhooksWorkflowId, (input: SendAgentWebhooksWorkflowInput) => {
  return new WorkflowResponse(sendAgentWebhooksStep(input))
})
