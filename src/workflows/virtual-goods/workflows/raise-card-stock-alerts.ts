import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { VirtualGoodsEvents } from "../../../utils/events"
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
  when("emit-stock-alerts-raised", { result }, ({ result }) => result.raised.length > 0).then(() =>
    emitEventStep({
      eventName: VirtualGoodsEvents.STOCK_ALERT_RAISED,
      data: transform({ result }, ({ result }) => result.raised.map((a) => ({ alert_id: a.id, pool_id: a.pool_id, kind: a.kind }))),
    })
  )
  return new WorkflowResponse(result)
})
