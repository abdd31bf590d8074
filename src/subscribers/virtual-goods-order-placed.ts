import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { runOrderDelivery } from "../workflows/virtual-goods/utils/run-order-delivery"

/** A placed order with virtual goods is captured (virtual-only, `auto_capture`) and delivered at once. */
export default async function virtualGoodsOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await runOrderDelivery(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "virtual-goods-order-placed" },
}
