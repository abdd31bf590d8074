import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SupplierEvents } from "../utils/events"
import { advanceSupplierOrder } from "../workflows/suppliers/utils/run-supplier-orders"
import { suppliersModule } from "../workflows/suppliers/utils/suppliers-module"

/**
 * A pass-through purchase created by a delivery (a sale whose pool ran out) is submitted at once; the tick submits one
 * whose event was lost. Other kinds are submitted by their own flows.
 */
export default async function supplierPassThroughCreated({ event, container }: SubscriberArgs<{ id: string }>) {
  const [row] = await suppliersModule(container).listSupplierOrders({ id: event.data.id, kind: "pass_through", status: "pending" }, { select: ["id"], take: 1 })
  if (row) await advanceSupplierOrder(container, row.id)
}

export const config: SubscriberConfig = {
  event: SupplierEvents.ORDER_CREATED,
  context: { subscriberId: "virtual-goods-supplier-pass-through-created" },
}
