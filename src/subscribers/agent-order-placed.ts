import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { noteAgentOrderAnswered } from "../jobs/agent-order-bookkeeping"
import { AgentEvents } from "../utils/events"

/**
 * An answered wholesale order gets its Medusa order as soon as the answers pause for a moment (at the latest once it
 * has waited the maximum lag); the bookkeeping job catches up on anything missed.
 */
export default async function agentOrderPlaced({ container }: SubscriberArgs<{ id: string }>) {
  noteAgentOrderAnswered(container)
}

export const config: SubscriberConfig = {
  event: AgentEvents.ORDER_PLACED,
  context: { subscriberId: "virtual-goods-agent-order-placed" },
}
