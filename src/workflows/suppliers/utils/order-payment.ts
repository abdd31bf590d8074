import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"

type PaymentRow = { id: string; captured_at: string | Date | null; canceled_at?: string | Date | null; amount?: unknown }
type OrderPaymentRow = {
  id: string
  status: string
  email: string | null
  display_id: number | null
  currency_code: string
  payment_collections?: { payments?: PaymentRow[] | null }[] | null
}

/** An order's payment facts for its top-ups: captured payments (to refund from) and whether it may be fulfilled. */
export type OrderPaymentFacts = {
  order_id: string
  email: string | null
  display_id: number | null
  currency_code: string
  captured_payment_ids: string[]
  /** Captured and neither canceled nor archived: its top-ups may be submitted. */
  paid: boolean
}

export async function orderPaymentFacts(container: Pick<MedusaContainer, "resolve">, orderId: string): Promise<OrderPaymentFacts | null> {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: ["id", "status", "email", "display_id", "currency_code", "payment_collections.payments.id", "payment_collections.payments.captured_at", "payment_collections.payments.canceled_at"],
    filters: { id: orderId },
  })
  const order = (data as OrderPaymentRow[])[0]
  if (!order) return null
  const captured = (order.payment_collections ?? []).flatMap((pc) => pc.payments ?? []).filter((p) => !!p.captured_at && !p.canceled_at)
  return {
    order_id: order.id,
    email: order.email,
    display_id: order.display_id,
    currency_code: order.currency_code,
    captured_payment_ids: captured.map((p) => p.id),
    paid: captured.length > 0 && order.status !== "canceled" && order.status !== "archived",
  }
}
