import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { setAgentWebhookWorkflow } from "../../../../../../workflows/agents/workflows"
import { fetchAgent } from "../../helpers"
import type { AdminSetAgentWebhookType } from "../../../validators"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"

/**
 * Sets (`url: null` removes) where the agent's events are POSTed. On first set or with `rotate_secret`, the response
 * carries the signing secret — shown this once (it is derived, never stored).
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminSetAgentWebhookType>, res: MedusaResponse) => {
  await fetchAgent(req.scope, req.params.id)
  const { result } = await setAgentWebhookWorkflow(req.scope).run({ input: { agent_id: req.params.id, ...req.validatedBody } })
  let secret: string | null = null
  if (result.issued_secret) {
    const agents = agentsModule(req.scope)
    const agent = await agents.retrieveAgent(req.params.id, { select: ["id", "webhook_secret_version"] })
    secret = agents.webhookSecret(agent.id, agent.webhook_secret_version)
  }
  res.setHeader("Cache-Control", "no-store")
  res.json({ agent: await fetchAgent(req.scope, req.params.id), secret })
}
