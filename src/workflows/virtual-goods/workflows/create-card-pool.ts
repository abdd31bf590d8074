import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { createCardPoolsStep } from "../steps"

export type CreateCardPoolWorkflowInput = { name: string; description?: string | null; kind?: "exclusive" | "reusable" }

export const createCardPoolWorkflowId = "create-card-pool"

/**
 * Creates an empty pool of card codes. Link it to a variant with `linkCardPoolToVariantWorkflow`.
 *
 * @example
 * const { result } = await createCardPoolWorkflow(container).run({ input: { name: "Youku VIP monthly" } })
 *
 * @summary Create a card pool.
 */
export const createCardPoolWorkflow = createWorkflow(createCardPoolWorkflowId, (input: CreateCardPoolWorkflowInput) => {
  const pools = createCardPoolsStep(transform({ input }, ({ input }) => [input]))
  return new WorkflowResponse(transform({ pools }, ({ pools }) => pools[0]))
})
