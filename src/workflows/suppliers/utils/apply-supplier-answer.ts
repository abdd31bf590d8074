import type { MedusaContainer } from "@medusajs/framework/types"
import type { SupplierOrderRow, SupplierOrderStatus, UpstreamOrderAnswer } from "../../../modules/suppliers/service"
import { importRestockCodes } from "./import-restock-codes"
import { suppliersModule } from "./suppliers-module"

export type AnswerSource = "submit" | "query" | "callback"

/** Where an answer left an order: its status, whether it moved, and whether it must be submitted again. */
export type AppliedAnswer = { id: string; status: SupplierOrderStatus; changed: boolean; resubmit: boolean; late: boolean }

/**
 * Moves a supplier order by what its supplier said, through the state machine (one conditional UPDATE each):
 * succeeded / failed (definite) / accepted move it; `unknown` (a timeout, a 5xx) only schedules a query; `not_found`
 * on a query of an order whose submission may not have arrived lets it be submitted again, under the same order
 * number. An answer that can no longer move the order (a late callback after a refund) is recorded, and flagged `late`.
 * A restock succeeds only once its codes are in the vault (imported once, see importRestockCodes); a success without
 * codes, or with codes the vault refuses, keeps it open to be queried, with a finding for the admins.
 */
export async function applySupplierAnswer(
  container: MedusaContainer,
  order: Pick<SupplierOrderRow, "id" | "status" | "refund_status" | "kind" | "pool_id" | "supplier_id" | "quantity" | "currency_code" | "order_id">,
  answer: UpstreamOrderAnswer,
  source: AnswerSource
): Promise<AppliedAnswer> {
  const suppliers = suppliersModule(container)
  const event = {
    kind: source,
    outcome: answer.state,
    http_status: answer.http_status ?? null,
    reason: answer.reason ?? null,
    answer: answer.answer ?? null,
  }
  let batchId: string | null = null
  if (answer.state === "succeeded" && order.kind !== "topup" && (order.status === "submitting" || order.status === "accepted" || order.status === "unknown")) {
    try {
      const imported = await importRestockCodes(container, order, answer)
      batchId = imported.batch_id
      if (imported.imported !== order.quantity) {
        await suppliers.recordSupplierFinding({
          key: `restock_count:${order.id}`,
          supplier_id: order.supplier_id,
          supplier_order_id: order.id,
          kind: "restock_failed",
          detail: `Restock ${order.id} bought ${order.quantity} code(s) and received ${imported.imported}; check with the supplier.`,
        })
      }
    } catch (e) {
      const reason = `codes not imported: ${e instanceof Error ? e.message : String(e)}`.slice(0, 500)
      await suppliers.recordSupplierFinding({ key: `restock_import:${order.id}`, supplier_id: order.supplier_id, supplier_order_id: order.id, kind: "restock_failed", detail: reason })
      const row = await suppliers.recordInconclusive({ id: order.id, event: { ...event, reason }, upstream_order_no: answer.upstream_order_no ?? null })
      return { id: order.id, status: row.status, changed: false, resubmit: false, late: false }
    }
  }
  const transition = answer.state === "succeeded" ? "succeed" : answer.state === "failed" ? "fail" : answer.state === "accepted" ? "accept" : null
  if (transition) {
    const applied = await suppliers.applyTransition({ id: order.id, transition, answer, event, batch_id: batchId })
    if (applied.changed) return { id: order.id, status: applied.to, changed: true, resubmit: false, late: false }
    if (answer.state === "accepted" && applied.to === "accepted") {
      return { id: order.id, status: applied.to, changed: false, resubmit: false, late: false }
    }
    // The order is already where the answer cannot move it: a duplicate, or a late answer that contradicts it.
    const contradicts = applied.to !== answer.state && (applied.to === "succeeded" || applied.to === "failed")
    return { id: order.id, status: applied.to, changed: false, resubmit: false, late: contradicts }
  }
  const row = await suppliers.recordInconclusive({ id: order.id, event, upstream_order_no: answer.upstream_order_no ?? null })
  const resubmit = answer.state === "not_found" && source === "query" && row.status === "submitting"
  return { id: order.id, status: row.status, changed: false, resubmit, late: false }
}
