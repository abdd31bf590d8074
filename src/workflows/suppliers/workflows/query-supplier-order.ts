import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { querySupplierOrderStep } from "../steps/query-supplier-order"

export type QuerySupplierOrderWorkflowInput = { supplier_order_id: string }
export type QuerySupplierOrderWorkflowOutput = { id: string; status: string; changed: boolean; resubmit: boolean }

export const querySupplierOrderWorkflowId = "query-supplier-order"

/**
 * Asks the supplier where an order stands and moves it accordingly; `resubmit` when the supplier has no such order
 * and it may be sent again under the same number.
 *
 * @example
 * const { result } = await querySupplierOrderWorkflow(container).run({ input: { supplier_order_id: "supo_123" } })
 *
 * @summary Query a supplier order.
 */
export const querySupplierOrderWorkflow = createWorkflow(querySupplierOrderWorkflowId, (input: QuerySupplierOrderWorkflowInput) => {
  const applied = querySupplierOrderStep(input)
  when("emit-supplier-order-settled", { applied }, ({ applied }) => applied.changed && ["succeeded", "failed", "unknown"].includes(applied.status)).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_SETTLED,
      data: transform({ applied }, ({ applied }) => ({ id: applied.id, status: applied.status })),
    })
  })
  return new WorkflowResponse(
    transform({ applied }, ({ applied }): QuerySupplierOrderWorkflowOutput => ({ id: applied.id, status: applied.status, changed: applied.changed, resubmit: applied.resubmit }))
  )
})
