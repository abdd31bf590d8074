import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { agentsModule } from "../../../workflows/agents/utils/agents-module"
import { agentOf, requireScope } from "../helpers"

/**
 * The agent's sub-agents at any depth, as summaries (scope `orders:read`): name, parent, status, how many orders they
 * placed and what they spent per currency — not their orders, keys or ledger.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:read")
  res.json({ agents: await agentsModule(req.scope).subAgentSummaries(principal.agent_id) })
}
