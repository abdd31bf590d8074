import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AGENTS_MODULE } from "../../../../../../modules/agents"
import type AgentsModuleService from "../../../../../../modules/agents/service"
import { setAgentQuotaWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../../../../agent-utils"
import type { AdminSetAgentQuotaType } from "../../../validators"

const agentsOf = (req: AuthenticatedMedusaRequest) => req.scope.resolve(AGENTS_MODULE) as AgentsModuleService

/** The agent's quotas: per variant, the limit, its period, and what the current period used and has left. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  res.json({ quotas: await agentsOf(req).quotasOf(req.params.id) })
}

/** Sets or replaces the agent's quota for a variant (`limit` codes in total, or per UTC day, week or month). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSetAgentQuotaType>, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  const { result } = await setAgentQuotaWorkflow(req.scope).run({ input: { agent_id: req.params.id, ...req.validatedBody } })
  const [quota] = await agentsOf(req).quotasOf(req.params.id, [result.id])
  res.json({ quota })
}
