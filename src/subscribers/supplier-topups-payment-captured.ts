import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { orderIdOfPayment } from "../workflows/virtual-goods/utils/order-of-payment"
import { submitTopUpsOfPaidOrder } from "../workflows/suppliers/utils/run-supplier-orders"

/** A captured payment submits its order's pending top-ups (each exactly once: a repeat finds them submitted). */
export default async function supplierTopUpsPaymentCaptured({ event, container }: SubscriberArgs<{ id: string }>) {
  const orderId = await orderIdOfPayment(container, event.data.id)
  if (orderId) await submitTopUpsOfPaidOrder(container, orderId)
}

export const config: SubscriberConfig = {
  event: "payment.captured",
  context: { subscriberId: "virtual-goods-supplier-topups-payment-captured" },
}
