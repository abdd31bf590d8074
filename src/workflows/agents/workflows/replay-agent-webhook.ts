import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { replayAgentWebhookStep, ReplayAgentWebhookStepInput } from "../steps"

export type ReplayAgentWebhookWorkflowInput = ReplayAgentWebhookStepInput

export const replayAgentWebhookWorkflowId = "replay-agent-webhook"

/**
 * Sends a dead-lettered webhook delivery again (from its first attempt, on the next run of the webhook job).
 *
 * @example
 * await replayAgentWebhookWorkflow(container).run({ input: { id: "agwh_123" } })
 *
 * @summary Replay a webhook delivery.
 */
export const replayAgentWebhookWorkflow = createWorkflow(replayAgentWebhookWorkflowId, (input: ReplayAgentWebhookWorkflowInput) => {
  return new WorkflowResponse(replayAgentWebhookStep(input))
})
