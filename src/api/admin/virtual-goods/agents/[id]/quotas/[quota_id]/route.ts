import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { removeAgentQuotaWorkflow } from "../../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../../helpers"

/** Removes the quota: the agent may buy the variant without a limit again. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  await removeAgentQuotaWorkflow(req.scope).run({ input: { agent_id: req.params.id, quota_id: req.params.quota_id } })
  res.json({ id: req.params.quota_id, object: "agent_quota", deleted: true })
}
