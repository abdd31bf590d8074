import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { returnOrderCodesWorkflow } from "../workflows/virtual-goods/workflows/return-order-codes"

/** A canceled order gives its codes back (unrevealed to stock, revealed voided, reservations released). */
export default async function virtualGoodsOrderCanceled({ event, container }: SubscriberArgs<{ id: string }>) {
  await returnOrderCodesWorkflow(container).run({ input: { order_id: event.data.id, reason: "order canceled" } })
}

export const config: SubscriberConfig = {
  event: "order.canceled",
  context: { subscriberId: "virtual-goods-order-canceled" },
}
