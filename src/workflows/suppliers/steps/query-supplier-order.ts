import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SupplierAdapter, SupplierConnection, UpstreamOrderAnswer } from "../../../modules/suppliers/service"
import { applySupplierAnswer } from "../utils/apply-supplier-answer"
import { suppliersModule } from "../utils/suppliers-module"

export type QuerySupplierOrderStepInput = { supplier_order_id: string }

export const querySupplierOrderStepId = "query-supplier-order"

/** Asks the supplier where an order stands and applies the answer (see applySupplierAnswer). Outputs the status. */
export const querySupplierOrderStep = createStep(querySupplierOrderStepId, async (input: QuerySupplierOrderStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const order = await suppliers.retrieveSupplierOrderRow(input.supplier_order_id)
  if (!["submitting", "accepted", "unknown"].includes(order.status)) {
    return new StepResponse({ id: order.id, status: order.status, changed: false, resubmit: false, late: false })
  }
  let answer: UpstreamOrderAnswer
  try {
    answer = await suppliers.callSupplier<UpstreamOrderAnswer>(order.supplier_id, (a: SupplierAdapter, c: SupplierConnection) => a.queryOrder(c, order.id))
  } catch (e) {
    answer = { state: "unknown", reason: e instanceof Error ? e.message : String(e) }
  }
  return new StepResponse(await applySupplierAnswer(container, order, answer, "query"))
})
