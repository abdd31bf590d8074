import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { applySupplierCallbackStep, ApplySupplierCallbackStepInput } from "../steps/apply-supplier-callback"

export type ApplySupplierCallbackWorkflowInput = ApplySupplierCallbackStepInput
export type ApplySupplierCallbackWorkflowOutput = { found: boolean; id: string | null; status: string | null; changed: boolean; late: boolean }

export const applySupplierCallbackWorkflowId = "apply-supplier-callback"

/**
 * Applies a supplier's verified callback (the route verifies its signature first): the same conditional transitions
 * as a query; a late callback that contradicts a final state is recorded as a finding, never applied.
 *
 * @example
 * await applySupplierCallbackWorkflow(container).run({ input: { supplier_id, order_no: "supo_123", answer: { state: "succeeded" } } })
 *
 * @summary Apply a supplier's callback.
 */
export const applySupplierCallbackWorkflow = createWorkflow(applySupplierCallbackWorkflowId, (input: ApplySupplierCallbackWorkflowInput) => {
  const applied = applySupplierCallbackStep(input)
  when("emit-supplier-order-settled", { applied }, ({ applied }) => applied.changed && !!applied.status && ["succeeded", "failed", "unknown"].includes(applied.status)).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_SETTLED,
      data: transform({ applied }, ({ applied }) => ({ id: applied.id, status: applied.status })),
    }).config({ name: "emit-settled" })
  })
  when("emit-late-callback-finding", { applied }, ({ applied }) => !!applied.finding_id).then(() => {
    emitEventStep({
      eventName: SupplierEvents.FINDING_RECORDED,
      data: transform({ applied, input }, ({ applied, input }) => ({ id: applied.finding_id, kind: "late_callback", supplier_id: input.supplier_id })),
    }).config({ name: "emit-finding" })
  })
  return new WorkflowResponse(
    transform({ applied }, ({ applied }): ApplySupplierCallbackWorkflowOutput => ({ found: applied.found, id: applied.id, status: applied.status, changed: applied.changed, late: applied.late }))
  )
})
