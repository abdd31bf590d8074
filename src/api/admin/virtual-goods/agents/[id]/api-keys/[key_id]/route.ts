import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { revokeAgentApiKeyWorkflow } from "../../../../../../../workflows/agents/workflows"
import { AGENT_KEY_FIELDS } from "../../../helpers"

/** Revokes the key: the next wholesale request with it is refused. */
export const DELETE = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await revokeAgentApiKeyWorkflow(req.scope).run({ input: { agent_id: req.params.id, key_id: req.params.key_id } })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_api_key", fields: AGENT_KEY_FIELDS, filters: { id: req.params.key_id } })
  res.json({ api_key: data[0] })
}
