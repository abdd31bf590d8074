import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SupplierEvents } from "../utils/events"
import { notifyTopUpSucceededWorkflow } from "../workflows/suppliers/workflows/notify-top-up-succeeded"

/** A top-up that succeeded (at the supplier, or marked so by an admin) is announced to its customer, once. */
export default async function supplierOrderSettled({ event, container }: SubscriberArgs<{ id: string; status: string }>) {
  if (event.data.status === "succeeded") await notifyTopUpSucceededWorkflow(container).run({ input: { supplier_order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: SupplierEvents.ORDER_SETTLED,
  context: { subscriberId: "virtual-goods-supplier-order-settled" },
}
