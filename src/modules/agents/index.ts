import { Module } from "@medusajs/framework/utils"
import agentsOptionsLoader from "./loaders/options"
import AgentsModuleService from "./service"

export const AGENTS_MODULE = "agents"

/**
 * The agents module: `AgentsModuleService` is its facade; the internal services in `services/` (ledger, agent tree,
 * wholesale orders, API keys, quotas, webhook deliveries, reports) are registered in the module's container by
 * Medusa's module loader, and the options loader gives them the module's options as `agentsOptions`.
 */
export default Module(AGENTS_MODULE, {
  service: AgentsModuleService,
  loaders: [agentsOptionsLoader],
})

export type { AccountBalance, LedgerActor, LedgerKind, LedgerLeg, LedgerPosting } from "./types"
