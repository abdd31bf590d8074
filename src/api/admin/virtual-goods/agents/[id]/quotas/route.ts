import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { setAgentQuotaWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../helpers"
import type { AdminSetAgentQuotaType } from "../../../validators"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"

/** The agent's quotas: per variant, the limit, its period, and what the current period used and has left. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  res.json({ quotas: await agentsModule(req.scope).quotasOf(req.params.id) })
}

/** Sets or replaces the agent's quota for a variant (`limit` codes in total, or per UTC day, week or month). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSetAgentQuotaType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { result } = await setAgentQuotaWorkflow(req.scope).run({ input: { agent_id: req.params.id, ...req.validatedBody } })
  const [quota] = await agentsModule(req.scope).quotasOf(req.params.id, [result.id])
  res.json({ quota })
}
