import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { submitSupplierOrderStep } from "../steps/submit-supplier-order"

export type SubmitSupplierOrderWorkflowInput = { supplier_order_id: string }
export type SubmitSupplierOrderWorkflowOutput = { id: string; status: string; claimed: boolean; changed: boolean }

export const submitSupplierOrderWorkflowId = "submit-supplier-order"

/**
 * Submits a supplier order to its supplier exactly once (see submitSupplierOrderStep) and announces a final state.
 *
 * @example
 * const { result } = await submitSupplierOrderWorkflow(container).run({ input: { supplier_order_id: "supo_123" } })
 *
 * @summary Submit a supplier order.
 */
export const submitSupplierOrderWorkflow = createWorkflow(submitSupplierOrderWorkflowId, (input: SubmitSupplierOrderWorkflowInput) => {
  const applied = submitSupplierOrderStep(input)
  when("emit-supplier-order-settled", { applied }, ({ applied }) => applied.changed && ["succeeded", "failed", "unknown"].includes(applied.status)).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_SETTLED,
      data: transform({ applied }, ({ applied }) => ({ id: applied.id, status: applied.status })),
    })
  })
  return new WorkflowResponse(
    transform({ applied }, ({ applied }): SubmitSupplierOrderWorkflowOutput => ({ id: applied.id, status: applied.status, claimed: applied.claimed, changed: applied.changed }))
  )
})
