import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { createStep, createWorkflow, StepResponse, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createCodeCampaignStep, type CreateCodeCampaignStepInput } from "../steps"

export type CreateCodeCampaignWorkflowInput = CreateCodeCampaignStepInput

export const createCodeCampaignWorkflowId = "create-code-campaign"

/** Checks that the campaign's pool exists (a 400 naming `pool_id` otherwise). Reads only. */
const validateCampaignPoolStep = createStep("validate-campaign-pool", async (input: { pool_id: string }, { container }) => {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({ entity: "card_pool", fields: ["id"], filters: { id: input.pool_id } })
  if (!data.length) throw new MedusaError(MedusaError.Types.INVALID_DATA, `pool_id: card pool ${input.pool_id} was not found`)
  return new StepResponse(true)
})

/**
 * Creates a campaign that gives a code of a pool to each customer its trigger names (`customer.created`: a new
 * customer account, "拉新"; `order.placed`: a customer's order), once per customer, up to `budget` codes, between
 * `starts_at` and `ends_at` when given.
 *
 * @example
 * await createCodeCampaignWorkflow(container).run({
 *   input: { name: "拉新送7天会员", pool_id: "cpool_123", trigger: "customer.created", budget: 1000 },
 * })
 *
 * @summary Create a campaign that gives codes.
 */
export const createCodeCampaignWorkflow = createWorkflow(createCodeCampaignWorkflowId, (input: CreateCodeCampaignWorkflowInput) => {
  validateCampaignPoolStep(input)
  return new WorkflowResponse(createCodeCampaignStep(input))
})
