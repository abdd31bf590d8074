import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { VirtualGoodsEvents } from "../utils/events"
import { sendOrderLinkWorkflow } from "../workflows/virtual-goods/workflows/send-order-link"

/** A guest's order lookup matched: mail a fresh guest link to the order's address. */
export default async function orderLinkRequested({ event, container }: SubscriberArgs<{ order_id: string }>) {
  await sendOrderLinkWorkflow(container).run({ input: { order_id: event.data.order_id } })
}

export const config: SubscriberConfig = {
  event: VirtualGoodsEvents.ORDER_LINK_REQUESTED,
  context: { subscriberId: "virtual-goods-order-link-requested" },
}
