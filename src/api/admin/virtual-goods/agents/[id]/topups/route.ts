import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { topUpAgentWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../helpers"
import type { AdminTopUpAgentType } from "../../../validators"

/** Credits the agent's prepaid balance (ledger: house → agent), recorded with the admin who did it. */
export const POST = async (req: AuthenticatedMedusaRequest<AdminTopUpAgentType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { result } = await topUpAgentWorkflow(req.scope).run({
    input: { agent_id: req.params.id, ...req.validatedBody, actor: { type: "user", id: req.auth_context?.actor_id ?? null } },
  })
  res.json({ transaction_id: result.transaction_id, agent: await fetchAgent(req.scope, req.params.id) })
}
