import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type ValidateAgentCustomerStepInput = {
  /** The Medusa customer the new agent is to be linked to. */
  customer_id: string
}

type CustomerAgentRow = { id: string; agent?: { id: string } | null }

export const validateAgentCustomerStepId = "validate-agent-customer"

/**
 * The customer an agent is to be linked to exists and is not an agent already. Reads only.
 *
 * @example
 * validateAgentCustomerStep({ customer_id: "cus_123" })
 */
export const validateAgentCustomerStep = createStep(validateAgentCustomerStepId, async (input: ValidateAgentCustomerStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "customer", fields: ["id", "agent.id"], filters: { id: input.customer_id } })
  const customer = data[0] as CustomerAgentRow | undefined
  if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${input.customer_id} was not found`)
  if (customer.agent?.id) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Customer ${input.customer_id} is already agent ${customer.agent.id}`)
  }
  return new StepResponse(void 0)
})
