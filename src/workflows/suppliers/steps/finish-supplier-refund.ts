import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type FinishSupplierRefundStepInput = { supplier_order_id: string; actor: string | null }

export const finishSupplierRefundStepId = "finish-supplier-refund"

/** Records a failed order's line as refunded (refunding → refunded) and the refund in its events. */
export const finishSupplierRefundStep = createStep(finishSupplierRefundStepId, async (input: FinishSupplierRefundStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const done = await suppliers.finishRefund(input.supplier_order_id)
  if (done) await suppliers.recordSupplierOrderEvent(input.supplier_order_id, { kind: "refund", outcome: "refunded", actor: input.actor })
  return new StepResponse({ finished: done })
})
