import { defineLink } from "@medusajs/framework/utils"
import OrderModule from "@medusajs/medusa/order"
import AgentsModule from "../modules/agents"

/** A wholesale order of an agent is a real Medusa order (admin, reports, fulfillment); the agent order keeps the chain. */
export default defineLink(AgentsModule.linkable.agentOrder, OrderModule.linkable.order)
