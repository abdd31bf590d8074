import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { AGENTS_MODULE } from "../../../../../../modules/agents"
import type AgentsModuleService from "../../../../../../modules/agents/service"
import { replayAgentWebhookWorkflow } from "../../../../../../workflows/agents/workflows"

/** Queues a dead (or still pending) delivery again from its first attempt; a delivered one is refused. */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  await replayAgentWebhookWorkflow(req.scope).run({ input: { id: req.params.id } })
  const agents = req.scope.resolve(AGENTS_MODULE) as AgentsModuleService
  const delivery = await agents.retrieveAgentWebhookDelivery(req.params.id)
  res.json({ delivery: { id: delivery.id, agent_id: delivery.agent_id, event: delivery.event, status: delivery.status, attempts: delivery.attempts, next_attempt_at: delivery.next_attempt_at } })
}
