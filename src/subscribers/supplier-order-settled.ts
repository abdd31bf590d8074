import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SupplierEvents } from "../utils/events"
import { suppliersModule } from "../workflows/suppliers/utils/suppliers-module"
import { runOrderDelivery } from "../workflows/virtual-goods/utils/run-order-delivery"
import { notifyAgentTopUpWorkflow } from "../workflows/suppliers/workflows/notify-agent-top-up"
import { notifyTopUpSucceededWorkflow } from "../workflows/suppliers/workflows/notify-top-up-succeeded"

/**
 * A settled top-up is announced: a retail one that succeeded to its customer by email (once); an agent's wholesale
 * one, succeeded or failed, to the agent by its signed webhook. A pass-through purchase that succeeded has its codes
 * reserved for its order: the order's delivery runs again and hands them over (the sweep does it when this is lost).
 */
export default async function supplierOrderSettled({ event, container }: SubscriberArgs<{ id: string; status: string }>) {
  if (event.data.status !== "succeeded" && event.data.status !== "failed") return
  if (event.data.status === "succeeded") {
    const [bought] = await suppliersModule(container).listSupplierOrders({ id: event.data.id, kind: "pass_through" }, { select: ["order_id"], take: 1 })
    if (bought?.order_id) {
      await runOrderDelivery(container, bought.order_id)
      return
    }
  }
  // Each workflow reads the order and acts on its own kind only (a retail order's email, an agent order's webhook).
  if (event.data.status === "succeeded") await notifyTopUpSucceededWorkflow(container).run({ input: { supplier_order_id: event.data.id } })
  await notifyAgentTopUpWorkflow(container).run({ input: { supplier_order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: SupplierEvents.ORDER_SETTLED,
  context: { subscriberId: "virtual-goods-supplier-order-settled" },
}
