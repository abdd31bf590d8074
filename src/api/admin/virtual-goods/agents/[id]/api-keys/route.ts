import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { newAgentKey } from "../../../../../../modules/agents/service"
import { createAgentApiKeyWorkflow } from "../../../../../../workflows/agents/workflows"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"
import { AGENT_KEY_FIELDS, fetchAgent } from "../../helpers"
import type { AdminCreateAgentApiKeyType } from "../../../validators"

/** The agent's keys: name, prefix, scopes, expiry, revocation and last use — never a secret. */
export const GET = async (req: AuthenticatedMedusaRequest, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_api_key", fields: AGENT_KEY_FIELDS, filters: { agent_id: req.params.id } })
  res.json({ api_keys: data })
}

/**
 * Creates a key for the agent's own system and returns it once, in `key` (`vgk_<prefix>_<secret>`): only its prefix
 * and a hash of the secret are stored, so it cannot be shown again. With it, `signing_secret`: the secret signed
 * requests are made with — a partner's redemption API (`X-Signature`), and a dujiao-next shop's protocol (its API key
 * is `vgk_<prefix>`; the same value as `dujiao_secret`); derived from the server key, shown again by
 * `POST …/api-keys/:key_id/dujiao-secret`, null when no server key is set.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminCreateAgentApiKeyType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { key, prefix, secret_hash } = newAgentKey()
  const { result } = await createAgentApiKeyWorkflow(req.scope).run({
    input: { agent_id: req.params.id, ...req.validatedBody, prefix, secret_hash, created_by: req.auth_context?.actor_id ?? null },
  })
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "agent_api_key", fields: AGENT_KEY_FIELDS, filters: { id: result.id } })
  const agents = agentsModule(req.scope)
  let dujiao_secret: string | null = null
  try {
    dujiao_secret = agents.dujiaoSigningSecret(result.id)
  } catch {
    // No server key: the key works with Bearer authentication, signed protocols need the key set first.
  }
  res.setHeader("Cache-Control", "no-store")
  res.status(201).json({ api_key: data[0], key, signing_secret: dujiao_secret, dujiao_secret })
}
