import { createWorkflow, transform, when, WorkflowResponse } from "@medusajs/framework/workflows-sdk"
import { emitEventStep } from "@medusajs/medusa/core-flows"
import { SupplierEvents } from "../../../utils/events"
import { resolveSupplierOrderStep, ResolveSupplierOrderStepInput } from "../steps/resolve-supplier-order"

export type ResolveSupplierOrderWorkflowInput = ResolveSupplierOrderStepInput
export type ResolveSupplierOrderWorkflowOutput = { id: string; status: string; refund: boolean }

export const resolveSupplierOrderWorkflowId = "resolve-supplier-order"

/**
 * Records an admin's decision on a supplier order (retry, refund, mark succeeded) with its reason. A refund decision
 * leaves the order failed; the caller then runs refundSupplierOrderWorkflow (the money moves there, once).
 *
 * @example
 * await resolveSupplierOrderWorkflow(container).run({ input: { supplier_order_id: "supo_123", action: "retry", reason: "supplier fixed its gateway", actor: "user_1" } })
 *
 * @summary Decide on a supplier order.
 */
export const resolveSupplierOrderWorkflow = createWorkflow(resolveSupplierOrderWorkflowId, (input: ResolveSupplierOrderWorkflowInput) => {
  const resolved = resolveSupplierOrderStep(input)
  when("emit-settled", { resolved, input }, ({ resolved, input }) => input.action === "mark_succeeded" || (input.action === "refund" && resolved.status === "failed")).then(() => {
    emitEventStep({
      eventName: SupplierEvents.ORDER_SETTLED,
      data: transform({ resolved }, ({ resolved }) => ({ id: resolved.id, status: resolved.status })),
    })
  })
  return new WorkflowResponse(resolved as unknown as ResolveSupplierOrderWorkflowOutput)
})
