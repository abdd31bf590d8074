import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { agentsModule } from "../utils/agents-module"

export type SetAgentWebhookStepInput = {
  agent_id: string
  /** Where the agent's events are POSTed (null removes it). */
  url: string | null
  /** Issue a new signing secret even if one exists. */
  rotate_secret?: boolean
}

export const setAgentWebhookStepId = "set-agent-webhook"

/**
 * Sets or removes an agent's webhook URL (a new secret when asked or on first set). Compensation restores the old one.
 *
 * @example
 * const { issued_secret } = setAgentWebhookStep({ agent_id, url: "https://erp.example.com/hooks/medusa" })
 */
export const setAgentWebhookStep = createStep(
  setAgentWebhookStepId,
  async (input: SetAgentWebhookStepInput, { container }) => {
    const { url, secret, previous } = await agentsModule(container).setWebhook(input)
    // The secret is derived from the server key and the version: only whether one was issued leaves the step.
    return new StepResponse({ url, issued_secret: secret !== null }, { agent_id: input.agent_id, ...previous })
  },
  async (previous, { container }) => {
    if (!previous) return
    await agentsModule(container).restoreWebhook(previous)
  }
)
