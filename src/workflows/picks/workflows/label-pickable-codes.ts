import { createWorkflow, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { labelPickableCodesStep, type LabelPickableCodesStepInput } from "../steps"

export type LabelPickableCodesWorkflowInput = LabelPickableCodesStepInput

export const labelPickableCodesWorkflowId = "label-pickable-codes"

/**
 * Labels the codes shoppers may pick (buyer's choice): of one pool, or of every pool that offers picking (the minute
 * sweep's catch-up: codes imported or returned to stock since), at most `limit` codes per run; clears the labels of
 * pools that stopped offering it.
 *
 * @example
 * await labelPickableCodesWorkflow(container).run({ input: { pool_id: "cpool_123", limit: 5000 } })
 *
 * @summary Label pickable card codes.
 */
export const labelPickableCodesWorkflow = createWorkflow(labelPickableCodesWorkflowId, (input: LabelPickableCodesWorkflowInput) => {
  return new WorkflowResponse(labelPickableCodesStep(input))
})
