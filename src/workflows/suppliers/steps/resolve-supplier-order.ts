import { MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { suppliersModule } from "../utils/suppliers-module"

export type ResolveSupplierOrderStepInput = {
  supplier_order_id: string
  action: "retry" | "refund" | "mark_succeeded"
  reason: string
  actor: string
}

export const resolveSupplierOrderStepId = "resolve-supplier-order"

/**
 * An admin's decision on a supplier order, with its reason, recorded in the order's events: `retry` sends a failed
 * (not refunded) or unknown order again under the same number; `mark_succeeded` records a success the supplier
 * confirmed; `refund` fails an unknown order so its line can be refunded. A decision the order's state does not allow
 * is refused (409), naming the state.
 */
export const resolveSupplierOrderStep = createStep(resolveSupplierOrderStepId, async (input: ResolveSupplierOrderStepInput, { container }) => {
  const suppliers = suppliersModule(container)
  const order = await suppliers.retrieveSupplierOrderRow(input.supplier_order_id)
  if (order.refund_status !== "none") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Supplier order ${order.id} is ${order.refund_status}: nothing more can be decided on it`)
  }
  const resolution = { note: `${input.action}: ${input.reason}`, actor: input.actor }
  const event = { kind: "admin" as const, outcome: input.action, reason: input.reason, actor: input.actor }
  if (input.action === "refund" && order.status === "failed") {
    await suppliers.recordSupplierOrderEvent(order.id, event)
    return new StepResponse({ id: order.id, status: order.status, refund: true })
  }
  const transition = input.action === "retry" ? "retry" : input.action === "mark_succeeded" ? "resolve_succeeded" : "fail"
  if (input.action === "refund" && order.status !== "unknown") {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Supplier order ${order.id} is ${order.status}: only a failed or unknown order can be refunded`)
  }
  const applied = await suppliers.applyTransition({ id: order.id, transition, answer: { reason: `admin: ${input.reason}` }, event, resolution })
  if (!applied.changed) {
    throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `Supplier order ${order.id} is ${applied.from}: it cannot be ${input.action === "retry" ? "retried" : input.action === "refund" ? "refunded" : "marked succeeded"}`)
  }
  return new StepResponse({ id: order.id, status: applied.to, refund: input.action === "refund" })
})
