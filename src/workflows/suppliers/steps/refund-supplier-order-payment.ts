import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"

export type RefundSupplierOrderPaymentStepInput = {
  supplier_order_id: string
  order_id: string
  amount: BigNumberInput
  /** Who decided (an admin's id), or null for the automatic refund of a definite failure. */
  created_by?: string | null
}

export const refundSupplierOrderPaymentStepId = "refund-supplier-order-payment"

type PaymentRow = { id: string; amount: unknown; captured_at: unknown; refunds?: { amount: unknown; note: string | null }[] | null }

/** The note of a line's refund: how a recovery knows the refund was already made. */
export const supplierRefundNote = (supplierOrderId: string) => `Top-up failed at the supplier (supplier order ${supplierOrderId})`

/**
 * Refunds a failed top-up's line through Medusa's refund workflow (the provider refunds, Medusa records it on the
 * order), from the order's captured payments, once: a refund whose note names this supplier order already made (a
 * recovery after a crash) is not made again. Irreversible: the last money-moving step.
 */
export const refundSupplierOrderPaymentStep = createStep(refundSupplierOrderPaymentStepId, async (input: RefundSupplierOrderPaymentStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const note = supplierRefundNote(input.supplier_order_id)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.payments.id", "payment_collections.payments.amount", "payment_collections.payments.captured_at", "payment_collections.payments.refunds.amount", "payment_collections.payments.refunds.note"],
    filters: { id: input.order_id },
  })
  const payments = ((data[0] as { payment_collections?: { payments?: PaymentRow[] }[] } | undefined)?.payment_collections ?? [])
    .flatMap((pc) => pc.payments ?? [])
    .filter((p) => !!p.captured_at)
  if (payments.some((p) => (p.refunds ?? []).some((r) => r.note === note))) return new StepResponse({ refunded: true, already: true })
  let left = MathBN.convert(input.amount)
  for (const p of payments) {
    if (MathBN.lte(left, 0)) break
    const refunded = (p.refunds ?? []).reduce((sum, r) => MathBN.add(sum, MathBN.convert(r.amount as string)), MathBN.convert(0))
    const refundable = MathBN.sub(MathBN.convert(p.amount as string), refunded)
    if (MathBN.lte(refundable, 0)) continue
    const amount = MathBN.min(refundable, left)
    await refundPaymentWorkflow(container).run({ input: { payment_id: p.id, amount, note, created_by: input.created_by ?? undefined } })
    left = MathBN.sub(left, amount)
  }
  return new StepResponse({ refunded: MathBN.lte(left, 0), already: false })
})
