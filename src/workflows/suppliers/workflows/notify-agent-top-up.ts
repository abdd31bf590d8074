import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { queueAgentTopUpWebhookStep } from "../steps/queue-agent-top-up-webhook"

export type NotifyAgentTopUpWorkflowInput = { supplier_order_id: string }
export type NotifyAgentTopUpWorkflowOutput = { queued: boolean }

export const notifyAgentTopUpWorkflowId = "notify-agent-top-up"

/**
 * Tells an agent that a top-up of its wholesale order succeeded or failed, through its signed webhook (ids, status,
 * masked recipient). A retail top-up's customer is told by email instead (`notifyTopUpSucceededWorkflow`).
 *
 * @example
 * await notifyAgentTopUpWorkflow(container).run({ input: { supplier_order_id: "supo_123" } })
 *
 * @summary Tell an agent how its top-up ended.
 */
export const notifyAgentTopUpWorkflow = createWorkflow(notifyAgentTopUpWorkflowId, (input: NotifyAgentTopUpWorkflowInput) => {
  const queued = queueAgentTopUpWebhookStep(input)
  return new WorkflowResponse(transform({ queued }, ({ queued }): NotifyAgentTopUpWorkflowOutput => ({ queued: queued.queued })))
})
