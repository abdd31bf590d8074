import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import type { UpstreamOrderAnswer } from "../../../modules/suppliers/service"
import { applySupplierAnswer } from "../utils/apply-supplier-answer"
import { suppliersModule } from "../utils/suppliers-module"

export type ApplySupplierCallbackStepInput = {
  supplier_id: string
  order_no: string
  /** The verified callback, classified and sanitized by the adapter (no codes, no recipient). */
  answer: Pick<UpstreamOrderAnswer, "state" | "upstream_order_no" | "total_cost" | "reason" | "answer">
}

type CallbackOutcome = { found: boolean; id: string | null; status: string | null; changed: boolean; late: boolean; finding_id: string | null }

export const applySupplierCallbackStepId = "apply-supplier-callback"

/**
 * Applies a supplier's verified callback with the same conditional transitions as a query: a callback racing a poll
 * moves the order once. A callback that contradicts a final state (success after the line was refunded) moves
 * nothing: it is recorded and becomes a finding for the admins — never a second credit or refund.
 */
export const applySupplierCallbackStep = createStep(applySupplierCallbackStepId, async (input: ApplySupplierCallbackStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const [found] = await suppliers.listSupplierOrders({ id: input.order_no, supplier_id: input.supplier_id }, { select: ["id"], take: 1 })
  const order = found ? await suppliers.retrieveSupplierOrderRow(found.id) : null
  if (!order) return new StepResponse<CallbackOutcome>({ found: false, id: null, status: null, changed: false, late: false, finding_id: null })
  // Callbacks never carry codes here: a restock's codes come from a query.
  const answer = input.answer.state === "succeeded" && order.kind !== "topup" ? { ...input.answer, state: "accepted" as const } : input.answer
  const applied = await applySupplierAnswer(container, order, { ...answer, codes: undefined }, "callback")
  let findingId: string | null = null
  if (applied.late) {
    await suppliers.recordSupplierOrderEvent(order.id, { kind: "late_callback", outcome: input.answer.state, reason: `the order is ${applied.status}${order.refund_status !== "none" ? ` and its line ${order.refund_status}` : ""}` })
    const finding = await suppliers.recordSupplierFinding({
      key: `late_callback:${order.id}:${input.answer.state}`,
      supplier_id: input.supplier_id,
      supplier_order_id: order.id,
      kind: "late_callback",
      detail: `The supplier reported ${input.answer.state} for an order already ${applied.status}${order.refund_status !== "none" ? ` (line ${order.refund_status})` : ""}; nothing was changed — check with the supplier.`,
    })
    findingId = finding.id
  }
  return new StepResponse<CallbackOutcome>({ found: true, id: order.id, status: applied.status, changed: applied.changed, late: applied.late, finding_id: findingId })
})
