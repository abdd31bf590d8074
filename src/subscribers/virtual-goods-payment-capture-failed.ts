import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { VirtualGoodsEvents } from "../utils/events"
import { paymentOfCaptureFailure } from "../workflows/virtual-goods/steps/capture-order-payments"
import { recordCaptureFailureWorkflow } from "../workflows/payments/workflows/record-capture-failure"

/** A delivery held because the payment's capture failed becomes a payment finding for the admins. */
export default async function virtualGoodsPaymentCaptureFailed({ event, container }: SubscriberArgs<{ order_id: string; reason: string }>) {
  const paymentId = paymentOfCaptureFailure(event.data.reason ?? "")
  if (!paymentId) return
  await recordCaptureFailureWorkflow(container).run({ input: { order_id: event.data.order_id, payment_id: paymentId, reason: event.data.reason } })
}

export const config: SubscriberConfig = {
  event: VirtualGoodsEvents.DELIVERY_HELD,
  context: { subscriberId: "virtual-goods-payment-capture-failed" },
}
