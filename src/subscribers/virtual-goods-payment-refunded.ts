import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderIdOfPayment } from "../workflows/virtual-goods/utils/order-of-payment"
import { returnCodesIfFullyRefunded } from "../workflows/virtual-goods/utils/return-refunded-orders"

/**
 * A full refund takes the codes back: unrevealed ones to stock, revealed ones voided. Partial refunds leave the
 * codes with the order (the merchant voids single codes explicitly). The minute sweep does the same for refunds
 * whose event was lost.
 */
export default async function virtualGoodsPaymentRefunded({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, event.data.id)
  if (!orderId) return
  await returnCodesIfFullyRefunded(container, orderId)
}

export const config: SubscriberConfig = {
  event: "payment.refunded",
  context: { subscriberId: "virtual-goods-payment-refunded" },
}
