import { Module } from "@medusajs/framework/utils"
import AgentsModuleService from "./service"

export const AGENTS_MODULE = "agents"

export default Module(AGENTS_MODULE, {
  service: AgentsModuleService,
})

export type { AccountBalance, LedgerActor, LedgerKind, LedgerLeg, LedgerPosting } from "./service"
