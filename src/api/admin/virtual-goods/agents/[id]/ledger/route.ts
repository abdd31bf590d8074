import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AGENTS_MODULE } from "../../../../../../modules/agents"
import type AgentsModuleService from "../../../../../../modules/agents/service"
import { fetchAgent } from "../../../../../agent-utils"

/** The agent's ledger entries, newest first: kind, signed amount (exact decimal string), currency, reference, note and who posted it. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  const { limit = 50, offset = 0 } = req.validatedQuery as { limit?: number; offset?: number }
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  const { entries, count } = await agents.ledgerOf(req.params.id, { limit, offset })
  res.json({ entries, count, offset, limit })
}
