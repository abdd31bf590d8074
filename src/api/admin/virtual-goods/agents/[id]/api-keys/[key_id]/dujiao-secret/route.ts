import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MedusaError } from "@medusajs/framework/utils"
import { agentsModule } from "../../../../../../../../workflows/agents/utils/agents-module"
import { AGENT_KEY_FIELDS } from "../../../../helpers"

type KeyRow = { id: string; agent_id?: string; prefix: string; revoked_at: string | null }

/**
 * Shows a key's dujiao-next signing secret again (derived from the server key and the key id; nothing is stored), with
 * the API key a dujiao-next shop configures (`vgk_<prefix>`). Only for a key of this agent that is not revoked.
 */
export const POST = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_api_key", fields: AGENT_KEY_FIELDS, filters: { id: req.params.key_id, agent_id: req.params.id } })
  const key = data[0] as KeyRow | undefined
  if (!key) throw new MedusaError(MedusaError.Types.NOT_FOUND, `API key ${req.params.key_id} of agent ${req.params.id} was not found`)
  if (key.revoked_at) throw new MedusaError(MedusaError.Types.NOT_ALLOWED, `API key ${key.id} is revoked`)
  const dujiao_secret = agentsModule(req.scope).dujiaoSigningSecret(key.id)
  res.setHeader("Cache-Control", "no-store")
  res.json({ api_key: data[0], dujiao_api_key: `vgk_${key.prefix}`, dujiao_secret })
}
