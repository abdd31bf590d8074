import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCardPoolStep, UpdateCardPoolStepInput } from "../steps"

export type UpdateCardPoolWorkflowInput = UpdateCardPoolStepInput

export const updateCardPoolWorkflowId = "update-card-pool"

/**
 * Updates a pool's name, description, allocation order and alert thresholds.
 *
 * @example
 * await updateCardPoolWorkflow(container).run({ input: { id: "cpool_123", low_stock_threshold: 50, expiry_warning_days: 14 } })
 *
 * @summary Update a card pool.
 */
export const updateCardPoolWorkflow = createWorkflow(updateCardPoolWorkflowId, (input: UpdateCardPoolWorkflowInput) => {
  return new WorkflowResponse(updateCardPoolStep(input))
})
