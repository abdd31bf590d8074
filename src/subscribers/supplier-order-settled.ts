import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { SupplierEvents } from "../utils/events"
import { notifyAgentTopUpWorkflow } from "../workflows/suppliers/workflows/notify-agent-top-up"
import { notifyTopUpSucceededWorkflow } from "../workflows/suppliers/workflows/notify-top-up-succeeded"

/**
 * A settled top-up is announced: a retail one that succeeded to its customer by email (once); an agent's wholesale
 * one, succeeded or failed, to the agent by its signed webhook.
 */
export default async function supplierOrderSettled({ event, container }: SubscriberArgs<{ id: string; status: string }>) {
  if (event.data.status !== "succeeded" && event.data.status !== "failed") return
  // Each workflow reads the order and acts on its own kind only (a retail order's email, an agent order's webhook).
  if (event.data.status === "succeeded") await notifyTopUpSucceededWorkflow(container).run({ input: { supplier_order_id: event.data.id } })
  await notifyAgentTopUpWorkflow(container).run({ input: { supplier_order_id: event.data.id } })
}

export const config: SubscriberConfig = {
  event: SupplierEvents.ORDER_SETTLED,
  context: { subscriberId: "virtual-goods-supplier-order-settled" },
}
