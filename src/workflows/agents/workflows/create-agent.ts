import { Modules } from "@medusajs/framework/utils"
import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createRemoteLinkStep } from "@medusajs/medusa/core-flows"
import { AGENTS_MODULE } from "../../../modules/agents"
import { createAgentStep, CreateAgentStepInput, validateAgentCustomerStep } from "../steps"

export type CreateAgentWorkflowInput = CreateAgentStepInput & {
  /** The Medusa customer the agent is (a customer is at most one agent). */
  customer_id?: string | null
}

export const createAgentWorkflowId = "create-agent"

/**
 * Creates a reseller under an optional parent agent, with its account in one currency and an optional credit limit,
 * linked to a Medusa customer when `customer_id` is given (a customer is at most one agent).
 *
 * @example
 * await createAgentWorkflow(container).run({ input: { name: "省代 Shenzhen", parent_id: "agent_123", currency_code: "cny" } })
 *
 * @summary Create an agent with its account.
 */
export const createAgentWorkflow = createWorkflow(createAgentWorkflowId, (input: CreateAgentWorkflowInput) => {
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
