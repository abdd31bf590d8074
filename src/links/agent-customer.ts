import { defineLink } from "@medusajs/framework/utils"
import CustomerModule from "@medusajs/medusa/customer"
import AgentsModule from "../modules/agents"

/** An agent is a Medusa customer (its login, addresses and order history); a customer is at most one agent. */
export default defineLink(AgentsModule.linkable.agent, CustomerModule.linkable.customer)
