import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderIdOfPayment } from "../workflows/virtual-goods/utils/order-of-payment"
import { runOrderDelivery } from "../workflows/virtual-goods/utils/run-order-delivery"

/**
 * A captured payment (manual capture, or capture after placement) releases the order's codes. An order the vault
 * already delivered is left alone: the automatic capture inside delivery raises this event too.
 */
export default async function virtualGoodsPaymentCaptured({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, event.data.id)
  if (orderId) await runOrderDelivery(container, orderId, { skip_if_delivered: true })
}

export const config: SubscriberConfig = {
  event: "payment.captured",
  context: { subscriberId: "virtual-goods-payment-captured" },
}
