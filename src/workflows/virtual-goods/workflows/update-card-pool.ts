import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { updateCardPoolStep, UpdateCardPoolStepInput } from "../steps"
import { labelPickableCodesStep, validateCardPoolPickStep } from "../../picks/steps"

export type UpdateCardPoolWorkflowInput = UpdateCardPoolStepInput

export const updateCardPoolWorkflowId = "update-card-pool"

/** Codes labelled at once when a pool's pick settings change; the minute sweep labels the rest. */
const LABEL_NOW = 5000

/**
 * Updates a pool's name, description, allocation order, alert thresholds and buyer's choice settings (refused for a
 * reusable pool). When the pick settings change, the pool's pick labels follow (the first 5000 codes at once).
 *
 * @example
 * await updateCardPoolWorkflow(container).run({ input: { id: "cpool_123", low_stock_threshold: 50, expiry_warning_days: 14 } })
 *
 * @summary Update a card pool.
 */
export const updateCardPoolWorkflow = createWorkflow(updateCardPoolWorkflowId, (input: UpdateCardPoolWorkflowInput) => {
  const pick = validateCardPoolPickStep(input)
  const updated = updateCardPoolStep(input)
  when("label-pickable-codes", { pick }, ({ pick }) => pick.touched).then(() => {
    labelPickableCodesStep(transform({ input, pick }, ({ input, pick }) => ({ pool_id: input.id, limit: LABEL_NOW, relabel: pick.relabel })))
  })
  return new WorkflowResponse(updated)
})
