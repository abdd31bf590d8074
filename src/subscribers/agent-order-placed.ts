import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { recordPendingAgentOrders } from "../jobs/agent-order-bookkeeping"
import { AGENT_ORDER_PLACED_EVENT } from "../workflows/agents/wholesale"

/** An answered wholesale order gets its Medusa order at once (the bookkeeping job catches up on anything missed). */
export default async function agentOrderPlaced({ container }: SubscriberArgs<{ id: string }>) {
  await recordPendingAgentOrders(container)
}

export const config: SubscriberConfig = {
  event: AGENT_ORDER_PLACED_EVENT,
  context: { subscriberId: "virtual-goods-agent-order-placed" },
}
