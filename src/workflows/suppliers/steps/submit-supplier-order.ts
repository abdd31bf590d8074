import { MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { SupplierAdapter, SupplierConnection, UpstreamOrderAnswer } from "../../../modules/suppliers/service"
import { applySupplierAnswer, AppliedAnswer } from "../utils/apply-supplier-answer"
import { suppliersModule } from "../utils/suppliers-module"

export type SubmitSupplierOrderStepInput = { supplier_order_id: string }

export const submitSupplierOrderStepId = "submit-supplier-order"

/**
 * Submits a supplier order exactly once: takes it with one conditional UPDATE (a pending order, or one whose last
 * submitter died — then the supplier is first asked whether it has the order), checks the price guard (the supplier's
 * cost over the maximum or over the sale price → failed, never sent), opens the recipient for this call only, sends it
 * with our order id as the supplier's order number, and applies the answer. A timeout or a 5xx leaves it submitted and
 * queried later; only a definite failure fails it. Irreversible: the last mutating step of its workflow. Outputs the
 * order's status, never the recipient.
 */
export const submitSupplierOrderStep = createStep(submitSupplierOrderStepId, async (input: SubmitSupplierOrderStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const claimed = await suppliers.claimForSubmission(input.supplier_order_id)
  if (!claimed) {
    const row = await suppliers.retrieveSupplierOrderRow(input.supplier_order_id)
    return new StepResponse<AppliedAnswer & { claimed: boolean }>({ id: row.id, status: row.status, changed: false, resubmit: false, late: false, claimed: false })
  }
  const product = await suppliers.retrieveSupplierProduct(claimed.supplier_product_id)
  const unitCost = product.unit_cost === null || product.unit_cost === undefined ? null : MathBN.convert(product.unit_cost as unknown as string)
  const saleUnit = claimed.amount !== null && claimed.quantity > 0 ? MathBN.div(MathBN.convert(claimed.amount), claimed.quantity) : null
  const overMax = unitCost !== null && claimed.max_unit_cost !== null && MathBN.gt(unitCost, MathBN.convert(claimed.max_unit_cost))
  const negativeMargin = unitCost !== null && saleUnit !== null && MathBN.gt(unitCost, saleUnit)
  if (overMax || negativeMargin) {
    const reason = overMax
      ? `price guard: the supplier's unit cost ${unitCost!.toString()} is over the maximum ${claimed.max_unit_cost}`
      : `price guard: the supplier's unit cost ${unitCost!.toString()} is over the sale price ${saleUnit!.toString()}`
    const applied = await suppliers.applyTransition({ id: claimed.id, transition: "fail", answer: { reason }, event: { kind: "price_guard", outcome: "refused", reason } })
    return new StepResponse({ id: claimed.id, status: applied.to, changed: applied.changed, resubmit: false, late: false, claimed: true })
  }
  try {
    if (claimed.attempts > 1) {
      // A submission before this one may have reached the supplier (its process died, or its answer was lost): ask.
      const known = await suppliers.callSupplier<UpstreamOrderAnswer>(claimed.supplier_id, (a: SupplierAdapter, c: SupplierConnection) => a.queryOrder(c, claimed.id))
      if (known.state !== "not_found") {
        const applied = await applySupplierAnswer(container, claimed, known, "query")
        return new StepResponse({ ...applied, claimed: true })
      }
    }
    const recipient = claimed.recipient_id ? await suppliers.openRecipient(claimed.recipient_id) : null
    const answer = await suppliers.callSupplier<UpstreamOrderAnswer>(claimed.supplier_id, (a: SupplierAdapter, c: SupplierConnection) =>
      a.submitOrder(c, {
        order_no: claimed.id,
        product_id: claimed.upstream_product_id,
        quantity: claimed.quantity,
        recipient,
        max_unit_cost: claimed.max_unit_cost,
      })
    )
    const applied = await applySupplierAnswer(container, claimed, answer, "submit")
    return new StepResponse({ ...applied, claimed: true })
  } catch (e) {
    // Not the supplier's answer (those are classified): our side failed before or after the call. Keep the order
    // submitted, unleased, to be queried — it may have reached the supplier.
    const reason = e instanceof Error ? e.message : String(e)
    const row = await suppliers.recordInconclusive({ id: claimed.id, event: { kind: "submit", outcome: "error", reason } })
    return new StepResponse({ id: row.id, status: row.status, changed: false, resubmit: false, late: false, claimed: true })
  }
})
