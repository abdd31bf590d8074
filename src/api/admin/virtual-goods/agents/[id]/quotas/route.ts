import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { setAgentQuotaWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../../../../agent-utils"
import type { AdminSetAgentQuotaType } from "../../../validators"

const QUOTA_FIELDS = ["id", "variant_id", "quota_limit", "period", "used", "period_start", "updated_at"]

/** The agent's quotas: per variant, the limit, its period and what the current period used. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_quota", fields: QUOTA_FIELDS, filters: { agent_id: req.params.id } })
  res.json({ quotas: data })
}

/** Sets or replaces the agent's quota for a variant (`limit` codes in total, or per UTC day, week or month). */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSetAgentQuotaType>, res: MedusaResponse) => {
  await fetchAgent(req, req.params.id)
  const { result } = await setAgentQuotaWorkflow(req.scope).run({ input: { agent_id: req.params.id, ...req.validatedBody } })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_quota", fields: QUOTA_FIELDS, filters: { id: result.id } })
  res.json({ quota: data[0] })
}
