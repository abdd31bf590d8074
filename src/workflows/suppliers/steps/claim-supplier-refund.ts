import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type ClaimSupplierRefundStepInput = { supplier_order_id: string; retake?: boolean }

export const claimSupplierRefundStepId = "claim-supplier-refund"

/**
 * Claims a failed order's refund exactly once (failed, not refunded → refunding, one conditional UPDATE), or — for
 * the recovery of a refund whose process died — retakes an order left `refunding`. Compensation gives the claim back.
 */
export const claimSupplierRefundStep = createStep(
  claimSupplierRefundStepId,
  async (input: ClaimSupplierRefundStepInput, { container }) => {
    const suppliers = suppliersModule(container)
    const claimed = await suppliers.claimRefund(input.supplier_order_id)
    if (claimed) return new StepResponse({ claimed: true, order: claimed }, input.supplier_order_id)
    const row = await suppliers.retrieveSupplierOrderRow(input.supplier_order_id)
    const retaken = !!input.retake && row.status === "failed" && row.refund_status === "refunding"
    return new StepResponse({ claimed: retaken, order: row }, null)
  },
  async (id, { container }) => {
    if (id) await suppliersModule(container).releaseRefundClaim(id)
  }
)
