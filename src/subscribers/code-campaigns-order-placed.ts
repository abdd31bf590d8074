import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runCampaignsFor } from "../workflows/campaigns"

type OrderRow = { id: string; email: string | null; locale?: string | null; customer_id: string | null; metadata: Record<string, unknown> | null }

/**
 * A shopper's placed order: every active `order.placed` campaign gives its customer a code, once per customer (a
 * reseller's wholesale order is not a shopper's and gives nothing).
 */
export default async function codeCampaignsOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "order",
    fields: ["id", "email", "locale", "customer_id", "metadata"],
    filters: { id: event.data.id },
  })
  const order = (data as OrderRow[])[0]
  if (!order?.customer_id || order.metadata?.agent_order_id) return
  await runCampaignsFor(container, "order.placed", { id: order.customer_id, email: order.email, locale: order.locale ?? null })
}

export const config: SubscriberConfig = {
  event: "order.placed",
  context: { subscriberId: "code-campaigns-order-placed" },
}
