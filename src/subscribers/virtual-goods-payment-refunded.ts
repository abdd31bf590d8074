import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { orderIdOfPayment } from "../workflows/virtual-goods/utils/order-of-payment"
import { returnOrderCodesWorkflow } from "../workflows/virtual-goods/workflows/return-order-codes"

type OrderPaymentsRow = {
  id: string
  payment_collections?: { captured_amount: BigNumberInput | null; refunded_amount: BigNumberInput | null }[] | null
}

/**
 * A full refund takes the codes back: unrevealed ones to stock, revealed ones voided. Partial refunds leave the
 * codes with the order (the merchant voids single codes explicitly).
 */
export default async function virtualGoodsPaymentRefunded({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, event.data.id)
  if (!orderId) return
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data: orders } = await query.graph({
    entity: "order",
    fields: ["id", "payment_collections.captured_amount", "payment_collections.refunded_amount"],
    filters: { id: orderId },
  })
  const collections = (orders as OrderPaymentsRow[])[0]?.payment_collections ?? []
  const captured = MathBN.sum(0, ...collections.map((c) => c.captured_amount ?? 0))
  const refunded = MathBN.sum(0, ...collections.map((c) => c.refunded_amount ?? 0))
  if (MathBN.lte(refunded, 0) || MathBN.lt(refunded, captured)) return
  await returnOrderCodesWorkflow(container).run({ input: { order_id: orderId, reason: "order refunded" } })
}

export const config: SubscriberConfig = {
  event: "payment.refunded",
  context: { subscriberId: "virtual-goods-payment-refunded" },
}
