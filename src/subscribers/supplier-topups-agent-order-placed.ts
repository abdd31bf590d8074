import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { AgentEvents } from "../utils/events"
import { submitTopUpsOfAgentOrder } from "../workflows/suppliers/utils/run-supplier-orders"

/**
 * An answered wholesale order submits its top-up lines (paid from the agent's ledger in its transaction), each exactly
 * once; an order held for a risk review waits. An order of codes only costs one indexed read.
 */
export default async function supplierTopUpsAgentOrderPlaced({ event, container }: SubscriberArgs<{ id: string }>) {
  await submitTopUpsOfAgentOrder(container, event.data.id)
}

export const config: SubscriberConfig = {
  event: AgentEvents.ORDER_PLACED,
  context: { subscriberId: "virtual-goods-supplier-topups-agent-order-placed" },
}
