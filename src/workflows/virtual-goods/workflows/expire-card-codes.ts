import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { expireCardCodesStep, syncCardPoolInventoryStep } from "../steps"

export type ExpireCardCodesWorkflowInput = { limit?: number }

export const expireCardCodesWorkflowId = "expire-card-codes"

/**
 * Moves available codes past their expiry date to `expired` (at most `limit` per run) and re-mirrors the stock of
 * the pools concerned into inventory. Run by the `virtual-goods-stock` job.
 *
 * @example
 * const { result } = await expireCardCodesWorkflow(container).run({ input: {} })
 *
 * @summary Expire card codes past their date.
 */
export const expireCardCodesWorkflow = createWorkflow(expireCardCodesWorkflowId, (input: ExpireCardCodesWorkflowInput) => {
  const result = expireCardCodesStep(input)
  when("codes-expired", { result }, ({ result }) => result.expired > 0).then(() =>
    syncCardPoolInventoryStep(transform({ result }, ({ result }) => ({ pool_ids: Object.keys(result.by_pool) })))
  )
  return new WorkflowResponse(result)
})
