import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AGENTS_MODULE } from "../../../modules/agents"
import type AgentsModuleService from "../../../modules/agents/service"
import { agentOf, requireScope } from "../../agent-utils"

/**
 * The agent's sub-agents at any depth, as summaries (scope `orders:read`): name, parent, status, how many orders they
 * placed and what they spent per currency — not their orders, keys or ledger.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  res.json({ agents: await agents.subAgentSummaries(principal.agent_id) })
}
