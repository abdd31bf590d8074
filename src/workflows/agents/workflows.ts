import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../modules/agents"
import {
  adjustAgentStep,
  removeAgentQuotaStep,
  AdjustAgentStepInput,
  replayAgentWebhookStep,
  setAgentWebhookStep,
  updateAgentStep,
  UpdateAgentStepInput,
  createAgentApiKeyStep,
  CreateAgentApiKeyStepInput,
  createAgentStep,
  CreateAgentStepInput,
  validateAgentCustomerStep,
  revokeAgentApiKeyStep,
  setAgentQuotaStep,
  SetAgentQuotaStepInput,
  topUpAgentStep,
  TopUpAgentStepInput,
} from "./steps"

/**
 * Creates a reseller under an optional parent agent, with its account in one currency and an optional credit limit,
 * linked to a Medusa customer when `customer_id` is given (a customer is at most one agent).
 *
 * @example
 * await createAgentWorkflow(container).run({ input: { name: "省代 Shenzhen", parent_id: "agent_123", currency_code: "cny" } })
 */
export const createAgentWorkflow = createWorkflow("create-agent", (input: CreateAgentStepInput & { customer_id?: string | null }) => {
  when("validate-customer", { input }, ({ input }) => !!input.customer_id).then(() => {
    validateAgentCustomerStep(transform({ input }, ({ input }) => ({ customer_id: input.customer_id! })))
  })
  const created = createAgentStep(
    transform({ input }, ({ input }) => {
      const { customer_id: _customer, ...agent } = input
      return agent
    })
  )
  when("link-customer", { input }, ({ input }) => !!input.customer_id).then(() => {
    createRemoteLinkStep(
      transform({ input, created }, ({ input, created }) => [
        { [AGENTS_MODULE]: { agent_id: created.agent_id }, [Modules.CUSTOMER]: { customer_id: input.customer_id! } },
      ])
    )
  })
  return new WorkflowResponse(created)
})

/**
 * Credits an agent's prepaid balance (a top-up), posted to the ledger against the house account, with who did it.
 *
 * @example
 * await topUpAgentWorkflow(container).run({ input: { agent_id, currency_code: "cny", amount: "1000", actor: { type: "user", id } } })
 */
export const topUpAgentWorkflow = createWorkflow("top-up-agent", (input: TopUpAgentStepInput) => {
  return new WorkflowResponse(topUpAgentStep(input))
})

/** Stores a new wholesale API key of an agent (prefix and secret hash only; the caller shows the key once). */
export const createAgentApiKeyWorkflow = createWorkflow("create-agent-api-key", (input: CreateAgentApiKeyStepInput) => {
  return new WorkflowResponse(createAgentApiKeyStep(input))
})

/** Revokes an agent's wholesale API key: the next request with it is refused. */
export const revokeAgentApiKeyWorkflow = createWorkflow("revoke-agent-api-key", (input: { agent_id: string; key_id: string }) => {
  return new WorkflowResponse(revokeAgentApiKeyStep(input))
})

/** Sets or replaces an agent's quota for a variant (in total, or per UTC day, week or month). */
export const setAgentQuotaWorkflow = createWorkflow("set-agent-quota", (input: SetAgentQuotaStepInput) => {
  return new WorkflowResponse(setAgentQuotaStep(input))
})

/** A manual, signed correction of an agent's balance with its reason, posted to the ledger with who made it. */
export const adjustAgentWorkflow = createWorkflow("adjust-agent", (input: AdjustAgentStepInput) => {
  return new WorkflowResponse(adjustAgentStep(input))
})

/** Renames, freezes or unfreezes an agent, or changes its credit limit in a currency. */
export const updateAgentWorkflow = createWorkflow("update-agent", (input: UpdateAgentStepInput) => {
  return new WorkflowResponse(updateAgentStep(input))
})

/** Sets, changes or removes an agent's webhook URL; a new signing secret on first set or when asked. */
export const setAgentWebhookWorkflow = createWorkflow("set-agent-webhook", (input: { agent_id: string; url: string | null; rotate_secret?: boolean }) => {
  return new WorkflowResponse(setAgentWebhookStep(input))
})

/** Sends a dead-lettered webhook delivery again (from its first attempt, on the next run of the webhook job). */
export const replayAgentWebhookWorkflow = createWorkflow("replay-agent-webhook", (input: { id: string }) => {
  return new WorkflowResponse(replayAgentWebhookStep(input))
})

/** Removes an agent's quota for a variant: no limit from then on. */
export const removeAgentQuotaWorkflow = createWorkflow("remove-agent-quota", (input: { agent_id: string; quota_id: string }) => {
  return new WorkflowResponse(removeAgentQuotaStep(input))
})
