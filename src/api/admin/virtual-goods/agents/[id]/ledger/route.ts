import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { fetchAgent } from "../../helpers"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"

/** The agent's ledger entries, newest first: kind, signed amount (exact decimal string), currency, reference, note and who posted it. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { limit = 50, offset = 0 } = req.validatedQuery as { limit?: number; offset?: number }
  const agents = agentsModule(req.scope)
  const { entries, count } = await agents.ledgerOf(req.params.id, { limit, offset })
  res.json({ entries, count, offset, limit })
}
