import { createWorkflow, transform, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { evaluateCardStockAlertsStep, sendCardStockAlertsStep } from "../steps"

export const raiseCardStockAlertsWorkflowId = "raise-card-stock-alerts"

/**
 * Raises low-stock and near-expiry alerts of pools (once per condition until it clears), clears the ones whose
 * condition is gone, and notifies each newly raised alert (the admin feed by default). Run by the
 * `virtual-goods-stock` job.
 *
 * @example
 * const { result } = await raiseCardStockAlertsWorkflow(container).run()
 *
 * @summary Raise and clear stock alerts.
 */
export const raiseCardStockAlertsWorkflow = createWorkflow(raiseCardStockAlertsWorkflowId, () => {
  const result = evaluateCardStockAlertsStep()
  sendCardStockAlertsStep(transform({ result }, ({ result }) => ({ alerts: result.raised })))
  return new WorkflowResponse(result)
})
