import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { setAgentWebhookStep, SetAgentWebhookStepInput } from "../steps"

export type SetAgentWebhookWorkflowInput = SetAgentWebhookStepInput

export const setAgentWebhookWorkflowId = "set-agent-webhook"

/**
 * Sets, changes or removes an agent's webhook URL; a new signing secret on first set or when asked.
 *
 * @example
 * await setAgentWebhookWorkflow(container).run({ input: { agent_id, url: "https://erp.example.com/hooks/medusa", rotate_secret: true } })
 *
 * @summary Set an agent's webhook URL.
 */
export const setAgentWebhookWorkflow = createWorkflow(setAgentWebhookWorkflowId, (input: SetAgentWebhookWorkflowInput) => {
  return new WorkflowResponse(setAgentWebhookStep(input))
})
