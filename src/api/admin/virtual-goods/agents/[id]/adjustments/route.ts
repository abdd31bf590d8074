import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { adjustAgentWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../helpers"
import type { AdminAdjustAgentType } from "../../../validators"

/** A signed correction of the agent's balance with its reason, on the ledger with the admin who made it. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminAdjustAgentType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { result } = await adjustAgentWorkflow(req.scope).run({
    input: { agent_id: req.params.id, ...req.validatedBody, actor: { type: "user", id: req.auth_context?.actor_id ?? null } },
  })
  res.json({ transaction_id: result.transaction_id, agent: await fetchAgent(req.scope, req.params.id) })
}
