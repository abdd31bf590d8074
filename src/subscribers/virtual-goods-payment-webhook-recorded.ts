import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { PaymentEvents } from "../utils/events"
import { processPaymentEvent } from "../workflows/payments/utils/process-payment-event"

/** Processes a verified webhook event right after it was recorded (the reconciliation job catches what this misses). */
export default async function virtualGoodsPaymentWebhookRecorded({ event, container }: SubscriberArgs<{ id: string }>) {
  await processPaymentEvent(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: PaymentEvents.WEBHOOK_RECORDED,
  context: { subscriberId: "virtual-goods-payment-webhook-recorded" },
}
