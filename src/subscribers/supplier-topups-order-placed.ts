import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { runTopUpsOfOrder } from "../workflows/suppliers/utils/run-supplier-orders"

/** A placed order's top-up lines get their supplier orders; they are submitted once the order's payment is captured. */
export default async function supplierTopUpsOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await runTopUpsOfOrder(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "virtual-goods-supplier-topups-order-placed" },
}
